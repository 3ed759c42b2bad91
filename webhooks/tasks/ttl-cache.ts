/**
 * A promise cache with expiry: concurrent callers of one key share one load (single flight), a
 * failed load is forgotten at once, a successful one is reused until it expires.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { at: number; value: Promise<V> }>();
  private readonly ttlMs: number;
  private readonly max: number;
  private readonly now: () => number;

  constructor(ttlMs: number, max = 10_000, now: () => number = Date.now) {
    this.ttlMs = ttlMs;
    this.max = max;
    this.now = now;
  }

  /** The cached value of key, or the result of load (shared by concurrent callers). */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at <= this.ttlMs) return hit.value;
    const value = load();
    const entry = { at: this.now(), value };
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  /** Forgets everything. */
  clear(): void {
    this.entries.clear();
  }
}
