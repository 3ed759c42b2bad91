import { LRUCache } from "lru-cache";

/**
 * lru-cache's clock from an injectable one: read on every check (ttlResolution 0, so a test
 * clock may jump) and never 0, which lru-cache would take for "no start time" (never stale).
 */
export function lruClock(now: () => number): { perf: { now: () => number }; ttlResolution: number } {
  return { perf: { now: () => now() + 1 }, ttlResolution: 0 };
}

/** A small LRU set with expiry (lru-cache). */
export class LruSet {
  private readonly entries: LRUCache<string, true> | undefined;

  /** max 0 disables the cache; entries older than ttlMs count as absent. */
  constructor(max: number, ttlMs: number, now: () => number = Date.now) {
    this.entries = max > 0 ? new LRUCache<string, true>({ max, ttl: ttlMs, ...lruClock(now) }) : undefined;
  }

  /** True when key was added within the TTL; refreshes its recency. */
  has(key: string): boolean {
    return this.entries?.get(key) === true;
  }

  /** Adds key, evicting the least recently used entry when full. */
  add(key: string): void {
    this.entries?.set(key, true);
  }

  /** Forgets key. */
  delete(key: string): void {
    this.entries?.delete(key);
  }

  get size(): number {
    return this.entries?.size ?? 0;
  }
}
