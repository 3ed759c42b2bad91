import { systemClock, type Clock, type TimerHandle } from "./clock.ts";
import { defaultRateLimiter, type RateLimiter } from "./rate-limiter.ts";

/** Hooks a work queue reports to (client-go workqueue metrics); durations are in seconds. */
export interface WorkQueueMetrics {
  add(): void;
  depth(n: number): void;
  queueLatency(seconds: number): void;
  workDuration(seconds: number): void;
  retry(): void;
}

/** Metrics that record nothing. */
export const noopWorkQueueMetrics: WorkQueueMetrics = {
  add: () => {},
  depth: () => {},
  queueLatency: () => {},
  workDuration: () => {},
  retry: () => {},
};

/** Options of a WorkQueue; every field has a default. */
export interface WorkQueueOptions {
  rateLimiter?: RateLimiter;
  clock?: Clock;
  metrics?: WorkQueueMetrics;
}

type Waiter = (key: string | undefined) => void;

/**
 * A keyed, rate-limited, delaying work queue with client-go semantics: a key is queued
 * at most once (dirty set), a key being processed is never handed to a second worker
 * (processing set) and, if re-added meanwhile, is queued again when done().
 *
 * Deviation from client-go: after shutDown, get() hands out no more queued keys. The
 * queue shuts down when this replica stops leading; starting new work then could overlap
 * with the next leader, and every key is recovered by the next leader's initial list.
 */
export class WorkQueue {
  private readonly queue: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly addedAt = new Map<string, number>();
  private readonly startedAt = new Map<string, number>();
  private readonly waiters: Waiter[] = [];
  private readonly drainWaiters: Array<() => void> = [];
  private readonly delayed = new Map<string, number>();
  private readonly rateLimiter: RateLimiter;
  private readonly clock: Clock;
  private readonly metrics: WorkQueueMetrics;
  private timer: TimerHandle | undefined;
  private timerAt = Infinity;
  private stopping = false;

  constructor(opts: WorkQueueOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.rateLimiter = opts.rateLimiter ?? defaultRateLimiter({ clock: this.clock });
    this.metrics = opts.metrics ?? noopWorkQueueMetrics;
  }

  /** Queues the key unless it is already queued; a key being processed is queued again on done(). */
  add(key: string): void {
    if (this.stopping || this.dirty.has(key)) return;
    this.metrics.add();
    this.dirty.add(key);
    this.addedAt.set(key, this.clock.now());
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.dispatch();
  }

  /** Queues the key after ms; a key already waiting keeps the earlier of the two times. */
  addAfter(key: string, ms: number): void {
    if (this.stopping) return;
    if (ms <= 0) return this.add(key);
    const readyAt = this.clock.now() + ms;
    const existing = this.delayed.get(key);
    if (existing !== undefined && existing <= readyAt) return;
    this.delayed.set(key, readyAt);
    // The armed timer fires earlier and re-arms: no need to scan every waiting key again.
    if (readyAt < this.timerAt) this.arm();
  }

  /** Queues the key after the rate limiter's backoff for it (one more failure recorded). */
  addRateLimited(key: string): void {
    if (this.stopping) return;
    this.metrics.retry();
    this.addAfter(key, this.rateLimiter.when(key));
  }

  /** Clears the key's backoff history (call on success). */
  forget(key: string): void {
    this.rateLimiter.forget(key);
  }

  /** Returns how many times the key was rate-limited since its last forget(). */
  numRequeues(key: string): number {
    return this.rateLimiter.numRequeues(key);
  }

  /** Resolves with the next key (now marked processing), or undefined once the queue shuts down. */
  get(): Promise<string | undefined> {
    if (this.stopping) return Promise.resolve(undefined);
    const key = this.queue.shift();
    if (key !== undefined) return Promise.resolve(this.start(key));
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks the key's processing finished; re-queues it if it was added meanwhile. */
  done(key: string): void {
    const started = this.startedAt.get(key);
    if (started !== undefined) this.metrics.workDuration((this.clock.now() - started) / 1000);
    this.startedAt.delete(key);
    this.processing.delete(key);
    if (this.dirty.has(key) && !this.stopping) {
      this.queue.push(key);
      this.dispatch();
    }
    if (this.processing.size === 0) this.drainWaiters.splice(0).forEach((w) => w());
  }

  /** Returns the number of keys ready to be processed. */
  len(): number {
    return this.queue.length;
  }

  /** True once shutDown() was called. */
  shuttingDown(): boolean {
    return this.stopping;
  }

  /** Stops accepting keys and wakes every waiting get() with undefined. */
  shutDown(): void {
    if (this.stopping) return;
    this.stopping = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.delayed.clear();
    this.waiters.splice(0).forEach((w) => w(undefined));
  }

  /** Shuts down and resolves once every key being processed is done(). */
  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  private start(key: string): string {
    const now = this.clock.now();
    this.processing.add(key);
    this.dirty.delete(key);
    const added = this.addedAt.get(key);
    if (added !== undefined) this.metrics.queueLatency((now - added) / 1000);
    this.addedAt.delete(key);
    this.startedAt.set(key, now);
    this.metrics.depth(this.queue.length);
    return key;
  }

  private dispatch(): void {
    while (this.waiters.length > 0 && this.queue.length > 0) {
      const key = this.queue.shift() as string;
      const waiter = this.waiters.shift() as Waiter;
      waiter(this.start(key));
    }
    this.metrics.depth(this.queue.length);
  }

  // One timer for the earliest delayed key; re-armed whenever an earlier one arrives.
  private arm(): void {
    let earliest = Infinity;
    for (const at of this.delayed.values()) earliest = Math.min(earliest, at);
    if (earliest === Infinity || earliest >= this.timerAt) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timerAt = earliest;
    this.timer = this.clock.setTimeout(() => this.fire(), Math.max(0, earliest - this.clock.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.clock.now();
    const ready = [...this.delayed].filter(([, at]) => at <= now).sort((a, b) => a[1] - b[1]);
    for (const [key] of ready) {
      this.delayed.delete(key);
      this.add(key);
    }
    this.arm();
  }
}
