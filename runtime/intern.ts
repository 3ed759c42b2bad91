/**
 * One copy of each short string value across every cache. JSON.parse gives every object its own
 * copy of each value: 10,200 cached pods held 22,440 copies of "default-scheduler" and 20,400 of
 * "ContainersNotReady"; 30 MiB of a 150 MiB live heap were such copies (heap snapshot, docs/scaling.md).
 */

/** Values never shared between objects: interning them would only fill the table. */
export const UNIQUE_KEYS: ReadonlySet<string> = new Set(["uid", "resourceVersion"]);

/** Longer string values are rarely repeated (messages, certificates): neither interned nor shared. */
export const MAX_SHARED_STRING = 128;

/** Replaces string values in cached objects with one shared copy of each. */
export class StringInterner {
  private table = new Map<string, string>();
  private readonly maxEntries: number;
  private readonly maxLength: number;

  /**
   * @param maxEntries table size at which it starts afresh (strings already shared stay shared)
   * @param maxLength longer values are left alone (messages, certificates: rarely repeated)
   */
  constructor(maxEntries = 100_000, maxLength = MAX_SHARED_STRING) {
    this.maxEntries = maxEntries;
    this.maxLength = maxLength;
  }

  /** The shared copy of `value`. */
  string(value: string): string {
    if (value.length > this.maxLength) return value;
    const shared = this.table.get(value);
    if (shared !== undefined) return shared;
    if (this.table.size >= this.maxEntries) this.table = new Map();
    this.table.set(value, value);
    return value;
  }

  /**
   * Walks a JSON value and swaps its string values for shared copies, in place. The swap is
   * invisible (an equal string), so objects a watch event shares are safe; frozen ones are skipped.
   */
  intern<T>(value: T): T {
    this.walk(value);
    return value;
  }

  /** How many distinct strings the table holds. */
  get size(): number {
    return this.table.size;
  }

  private walk(node: unknown): void {
    if (node === null || typeof node !== "object" || Object.isFrozen(node)) return;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const v: unknown = node[i];
        if (typeof v === "string") node[i] = this.string(v);
        else this.walk(v);
      }
      return;
    }
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const v = record[key];
      if (typeof v === "string") {
        if (!UNIQUE_KEYS.has(key)) record[key] = this.string(v);
      } else this.walk(v);
    }
  }
}
