import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  BucketRateLimiter,
  ExponentialRateLimiter,
  MaxOfRateLimiter,
  defaultRateLimiter,
} from "./rate-limiter.ts";

describe("ExponentialRateLimiter", () => {
  it("doubles from 5 ms per item and caps at the maximum", () => {
    const rl = new ExponentialRateLimiter(5, 1000);
    const delays = Array.from({ length: 10 }, () => rl.when("a"));
    expect(delays).toEqual([5, 10, 20, 40, 80, 160, 320, 640, 1000, 1000]);
    expect(rl.numRequeues("a")).toBe(10);
    expect(rl.when("b")).toBe(5);
  });

  it("defaults to a 1000 s cap and never overflows", () => {
    const rl = new ExponentialRateLimiter();
    let last = 0;
    for (let i = 0; i < 200; i++) last = rl.when("k");
    expect(last).toBe(1_000_000);
  });

  it("forget resets the backoff", () => {
    const rl = new ExponentialRateLimiter(5, 1000);
    rl.when("a");
    rl.when("a");
    rl.forget("a");
    expect(rl.numRequeues("a")).toBe(0);
    expect(rl.when("a")).toBe(5);
  });
});

describe("BucketRateLimiter", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("allows the burst, then spaces retries at qps, and refills over time", () => {
    const rl = new BucketRateLimiter(10, 2);
    expect([rl.when(), rl.when(), rl.when(), rl.when()]).toEqual([0, 0, 100, 200]);
    vi.advanceTimersByTime(1000);
    expect(rl.when()).toBe(0);
  });
});

describe("defaultRateLimiter", () => {
  it("is the max of per-item backoff and the overall bucket", () => {
    const rl = defaultRateLimiter({ maxDelayMs: 40 });
    expect([rl.when("a"), rl.when("a"), rl.when("a"), rl.when("a"), rl.when("a")]).toEqual([
      5, 10, 20, 40, 40,
    ]);
    rl.forget("a");
    expect(rl.numRequeues("a")).toBe(0);
    expect(new MaxOfRateLimiter().when("x")).toBe(0);
  });
});
