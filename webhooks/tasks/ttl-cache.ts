import { LRUCache } from "lru-cache";
import { lruClock } from "./lru.ts";

/**
 * A promise cache with expiry (lru-cache): concurrent callers of one key share one load (single
 * flight), a failed load is forgotten at once, a successful one is reused until it expires.
 */
export class TtlCache<V> {
  // Boxed: lru-cache values cannot be undefined, and the box identifies one load.
  private readonly entries: LRUCache<string, { value: Promise<V> }>;

  constructor(ttlMs: number, max = 10_000, now: () => number = Date.now) {
    this.entries = new LRUCache<string, { value: Promise<V> }>({ max, ttl: ttlMs, ...lruClock(now) });
  }

  /** The cached value of key, or the result of load (shared by concurrent callers). */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit) return hit.value;
    const entry = { value: load() };
    this.entries.set(key, entry);
    entry.value.catch(() => {
      if (this.entries.peek(key) === entry) this.entries.delete(key);
    });
    return entry.value;
  }

  /** Forgets everything. */
  clear(): void {
    this.entries.clear();
  }
}
