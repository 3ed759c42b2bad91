/** A small LRU set with expiry: Map insertion order is the recency order. */
export class LruSet {
  private readonly entries = new Map<string, number>();
  private readonly max: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  /** max 0 disables the cache; entries older than ttlMs count as absent. */
  constructor(max: number, ttlMs: number, now: () => number = Date.now) {
    this.max = max;
    this.ttlMs = ttlMs;
    this.now = now;
  }

  /** True when key was added within the TTL; refreshes its recency. */
  has(key: string): boolean {
    const at = this.entries.get(key);
    if (at === undefined) return false;
    this.entries.delete(key);
    if (this.now() - at > this.ttlMs) return false;
    this.entries.set(key, at);
    return true;
  }

  /** Adds key, evicting the least recently used entry when full. */
  add(key: string): void {
    if (this.max <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, this.now());
    if (this.entries.size > this.max) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  /** Forgets key. */
  delete(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
