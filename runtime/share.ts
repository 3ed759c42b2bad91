/**
 * One frozen copy of each repeated part of cached objects (hash-consing). The pods of one
 * ReplicaSet repeat their labels, owner references, resources and tolerations, and every pod of
 * a cluster repeats the same service-account volume: at 10,200 pods about half of the Pod cache
 * (docs/scaling.md, issue 16 step 7). Parts are compared by value, bottom up, by a key that
 * spells the part out; parts whose key grows past maxKeyLength are not shared (their children
 * still are). Keys name no object, so the sharer keeps no table of ids beside the cache.
 */
import { LRUCache } from "lru-cache";
import { MAX_SHARED_STRING, UNIQUE_KEYS, type StringInterner } from "./intern.ts";

/** A part holding resourceVersion (an object's metadata) is one object's own: never looked up. */
const OWN = "resourceVersion";

interface Shared {
  /** undefined: the part (or one of its children) is never shared. */
  key: string | undefined;
}

/** Replaces equal parts of the objects it is given with one shared, frozen copy. */
export class StructureSharer {
  private readonly table: LRUCache<string, object>;
  private readonly interner: StringInterner | undefined;
  private readonly maxKeyLength: number;

  /**
   * @param interner shares the string values met on the way
   * @param maxEntries parts remembered (least recently met forgotten first; shared copies stay shared)
   * @param maxKeyLength longer parts are not looked up: large parts are rarely repeated
   */
  constructor(interner?: StringInterner, maxEntries = 2_000, maxKeyLength = 512) {
    this.interner = interner;
    this.maxKeyLength = maxKeyLength;
    this.table = new LRUCache({ max: maxEntries });
  }

  /**
   * Swaps every repeated part of `value` for its shared copy, in place, and returns `value`
   * (or its shared copy when the whole is repeated). Shared copies are frozen, so a reader that
   * tries to change a cached object fails instead of changing every object sharing the part.
   */
  share<T>(value: T): T {
    const out = { key: undefined } as Shared;
    return this.visit(value, out) as T;
  }

  /** Parts currently remembered. */
  get size(): number {
    return this.table.size;
  }

  private visit(node: unknown, out: Shared): unknown {
    if (node === null || typeof node !== "object") {
      out.key = this.leafKey(node);
      return typeof node === "string" && this.interner ? this.interner.string(node) : node;
    }
    // A shared copy met again (an object reshaped twice): kept, but its parent is not looked up.
    if (Object.isFrozen(node)) {
      out.key = undefined;
      return node;
    }
    const key = Array.isArray(node)
      ? this.visitArray(node)
      : this.visitRecord(node as Record<string, unknown>);
    out.key = key;
    if (key === undefined) return node;
    const known = this.table.get(key);
    if (known) return known;
    this.table.set(key, Object.freeze(node));
    return node;
  }

  private visitArray(node: unknown[]): string | undefined {
    const child = { key: undefined } as Shared;
    let key: string | undefined = "[";
    for (let i = 0; i < node.length; i++) {
      // Always written back: an interned string is === its copy but is another string in memory.
      node[i] = this.visit(node[i], child);
      key = this.extend(key, child.key && `${child.key},`);
    }
    return key === undefined ? undefined : `${key}]`;
  }

  private visitRecord(node: Record<string, unknown>): string | undefined {
    const child = { key: undefined } as Shared;
    let key: string | undefined = "{";
    for (const name of Object.keys(node)) {
      const value = node[name];
      if (name === OWN) key = undefined;
      if (UNIQUE_KEYS.has(name) && typeof value === "string") {
        key = this.extend(key, `${JSON.stringify(name)}:${JSON.stringify(value)},`);
        continue;
      }
      node[name] = this.visit(value, child);
      key = this.extend(key, child.key && `${JSON.stringify(name)}:${child.key},`);
    }
    return key === undefined ? undefined : `${key}}`;
  }

  // A key past maxKeyLength is dropped at once: its part will not be looked up.
  private extend(key: string | undefined, part: string | undefined): string | undefined {
    if (key === undefined || part === undefined) return undefined;
    const longer = key + part;
    return longer.length > this.maxKeyLength ? undefined : longer;
  }

  private leafKey(value: unknown): string | undefined {
    if (typeof value === "string")
      return value.length > MAX_SHARED_STRING ? undefined : JSON.stringify(value);
    if (value === undefined) return "u";
    return String(value);
  }
}
