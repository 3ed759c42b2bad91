import { systemClock, type Clock } from "./clock.ts";

/** Decides how long an item waits before its next retry (client-go workqueue.RateLimiter). */
export interface RateLimiter {
  /** Returns the delay in ms for the item's next retry and records the failure. */
  when(item: string): number;
  /** Clears the item's failure history. */
  forget(item: string): void;
  /** Returns how many failures are recorded for the item. */
  numRequeues(item: string): number;
}

/** Per-item exponential backoff: base * 2^failures, capped at max (client-go ItemExponentialFailureRateLimiter). */
export class ExponentialRateLimiter implements RateLimiter {
  private readonly failures = new Map<string, number>();
  private readonly baseMs: number;
  private readonly maxMs: number;

  constructor(baseMs = 5, maxMs = 1_000_000) {
    this.baseMs = baseMs;
    this.maxMs = maxMs;
  }

  when(item: string): number {
    const exp = this.failures.get(item) ?? 0;
    this.failures.set(item, exp + 1);
    // Past 2^52 the product is no longer exact; the cap has long been reached by then.
    const backoff = exp > 52 ? Infinity : this.baseMs * 2 ** exp;
    return Math.min(backoff, this.maxMs);
  }

  forget(item: string): void {
    this.failures.delete(item);
  }

  numRequeues(item: string): number {
    return this.failures.get(item) ?? 0;
  }
}

/**
 * Overall token bucket (client-go BucketRateLimiter): limits the retry rate of all items
 * together, so a burst of failing keys cannot hammer the API server.
 */
export class BucketRateLimiter implements RateLimiter {
  private readonly qps: number;
  private readonly burst: number;
  private readonly clock: Clock;
  private tokens: number;
  private last: number;

  constructor(qps = 10, burst = 100, clock: Clock = systemClock) {
    this.qps = qps;
    this.burst = burst;
    this.clock = clock;
    this.tokens = burst;
    this.last = clock.now();
  }

  when(): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    // Reserve a token even when none is left; the caller waits for it to refill.
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.qps) * 1000;
  }

  forget(): void {}

  numRequeues(): number {
    return 0;
  }
}

/** The longest delay of several limiters (client-go MaxOfRateLimiter). */
export class MaxOfRateLimiter implements RateLimiter {
  private readonly limiters: RateLimiter[];

  constructor(...limiters: RateLimiter[]) {
    this.limiters = limiters;
  }

  when(item: string): number {
    return Math.max(0, ...this.limiters.map((l) => l.when(item)));
  }

  forget(item: string): void {
    for (const l of this.limiters) l.forget(item);
  }

  numRequeues(item: string): number {
    return Math.max(0, ...this.limiters.map((l) => l.numRequeues(item)));
  }
}

/** Options of the default controller rate limiter. */
export interface DefaultRateLimiterOptions {
  baseDelayMs?: number;
  maxDelayMs?: number;
  qps?: number;
  burst?: number;
  clock?: Clock;
}

/** controller-runtime's default: per-item 5 ms doubling to 1000 s, and 10 qps / 100 burst overall. */
export function defaultRateLimiter(opts: DefaultRateLimiterOptions = {}): RateLimiter {
  return new MaxOfRateLimiter(
    new ExponentialRateLimiter(opts.baseDelayMs ?? 5, opts.maxDelayMs ?? 1_000_000),
    new BucketRateLimiter(opts.qps ?? 10, opts.burst ?? 100, opts.clock ?? systemClock),
  );
}
