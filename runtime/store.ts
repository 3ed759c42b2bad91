import type { KubernetesObject } from "@kubernetes/client-node";

/** Computes the index values of an object (e.g. its owners' uids). */
export type IndexFunc<T> = (obj: T) => string[];

/** Returns the cache key of an object: "namespace/name", or "name" when cluster-scoped. */
export function keyOf(obj: KubernetesObject): string {
  return objectKey(obj.metadata?.namespace ?? "", obj.metadata?.name ?? "");
}

/** Returns the cache key for a namespace and name. */
export function objectKey(namespace: string, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** Splits a cache key back into namespace ("" when cluster-scoped) and name. */
export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf("/");
  return i < 0 ? { namespace: "", name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** Index function over metadata.ownerReferences uids, for "children of this owner" lookups. */
export const ownerUidIndex: IndexFunc<KubernetesObject> = (obj) =>
  (obj.metadata?.ownerReferences ?? []).map((r) => r.uid);

/** An object cache with secondary indexes (client-go Indexer). */
export class Store<T extends KubernetesObject> {
  private readonly items = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  // A value held by one key (a uid, most owners) stores the key itself: a Set per object
  // would cost more than the object's index entry is worth at 10k+ objects.
  private readonly indices = new Map<string, Map<string, string | Set<string>>>();
  // Keys per namespace, kept on every write: a per-namespace list costs the namespace, not the cache.
  private readonly byNamespace = new Map<string, Set<string>>();

  /** Returns the object with the given namespace ("" when cluster-scoped) and name. */
  get(namespace: string, name: string): T | undefined {
    return this.items.get(objectKey(namespace, name));
  }

  /** Returns the object stored under a key. */
  getByKey(key: string): T | undefined {
    return this.items.get(key);
  }

  /** Lists all objects, or those of one namespace ("" = cluster-scoped), in insertion order. */
  list(namespace?: string): T[] {
    if (namespace === undefined) return [...this.items.values()];
    return [...(this.byNamespace.get(namespace) ?? [])].map((k) => this.items.get(k) as T);
  }

  /** Returns the namespaces that hold at least one object. */
  namespaces(): string[] {
    return [...this.byNamespace.keys()];
  }

  /** Returns the number of objects in one namespace. */
  countIn(namespace: string): number {
    return this.byNamespace.get(namespace)?.size ?? 0;
  }

  /** Returns every key. */
  keys(): string[] {
    return [...this.items.keys()];
  }

  /** Returns the number of objects. */
  size(): number {
    return this.items.size;
  }

  /** Registers an index; objects already stored are indexed at once. Re-adding the same function is a no-op. */
  addIndex(name: string, fn: IndexFunc<T>): void {
    const existing = this.indexers.get(name);
    if (existing === fn) return;
    if (existing) throw new Error(`index ${name} already exists with another function`);
    this.indexers.set(name, fn);
    this.indices.set(name, new Map());
    for (const [key, obj] of this.items) this.indexOne(name, key, obj);
  }

  /** Returns the objects whose index `name` yields `value`. */
  byIndex(name: string, value: string): T[] {
    const index = this.indices.get(name);
    if (!index) throw new Error(`index ${name} does not exist`);
    const keys = index.get(value);
    if (keys === undefined) return [];
    if (typeof keys === "string") return [this.items.get(keys) as T];
    return [...keys].map((k) => this.items.get(k)).filter((o): o is T => o !== undefined);
  }

  /** Inserts or replaces an object; returns the previous one. */
  upsert(obj: T): T | undefined {
    const key = keyOf(obj);
    const old = this.items.get(key);
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    const ns = obj.metadata?.namespace ?? "";
    let keys = this.byNamespace.get(ns);
    if (!keys) this.byNamespace.set(ns, (keys = new Set()));
    keys.add(key);
    for (const name of this.indexers.keys()) this.indexOne(name, key, obj);
    return old;
  }

  /** Removes an object by key; returns it when it was stored. */
  remove(key: string): T | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    const ns = old.metadata?.namespace ?? "";
    const keys = this.byNamespace.get(ns);
    keys?.delete(key);
    if (keys?.size === 0) this.byNamespace.delete(ns);
    return old;
  }

  private indexOne(name: string, key: string, obj: T): void {
    const index = this.indices.get(name) as Map<string, string | Set<string>>;
    const fn = this.indexers.get(name) as IndexFunc<T>;
    for (const value of fn(obj)) {
      const keys = index.get(value);
      if (keys === undefined || keys === key) index.set(value, key);
      else if (typeof keys === "string") index.set(value, new Set([keys, key]));
      else keys.add(key);
    }
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name) as Map<string, string | Set<string>>;
      for (const value of fn(obj)) {
        const keys = index.get(value);
        if (keys === key) index.delete(value);
        else if (typeof keys === "object") {
          keys.delete(key);
          if (keys.size === 1) index.set(value, keys.values().next().value as string);
          else if (keys.size === 0) index.delete(value);
        }
      }
    }
  }
}
