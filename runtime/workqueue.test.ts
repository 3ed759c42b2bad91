import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ExponentialRateLimiter } from "./rate-limiter.ts";
import { WorkQueue, type WorkQueueMetrics } from "./workqueue.ts";

function recordingMetrics(): WorkQueueMetrics & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    add: () => log.push("add"),
    depth: (n) => log.push(`depth:${n}`),
    queueLatency: (s) => log.push(`latency:${s}`),
    workDuration: (s) => log.push(`work:${s}`),
    retry: () => log.push("retry"),
  };
}

async function pending<T>(p: Promise<T>): Promise<boolean> {
  let settled = false;
  void p.then(() => (settled = true));
  await Promise.resolve();
  await Promise.resolve();
  return !settled;
}

describe("WorkQueue", () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it("dedups a key that is already queued", async () => {
    const q = new WorkQueue();
    q.add("a");
    q.add("a");
    q.add("b");
    expect(q.len()).toBe(2);
    expect(await q.get()).toBe("a");
    expect(await q.get()).toBe("b");
    expect(q.len()).toBe(0);
  });

  it("never hands a key being processed to a second worker", async () => {
    const q = new WorkQueue();
    q.add("a");
    expect(await q.get()).toBe("a");
    q.add("a");
    const second = q.get();
    expect(await pending(second)).toBe(true);
    expect(q.len()).toBe(0);
    q.done("a");
    expect(await second).toBe("a");
  });

  it("re-queues a key re-added while processing exactly once, after done", async () => {
    const q = new WorkQueue();
    q.add("a");
    await q.get();
    q.add("a");
    q.add("a");
    q.done("a");
    expect(q.len()).toBe(1);
    expect(await q.get()).toBe("a");
    q.done("a");
    expect(q.len()).toBe(0);
  });

  it("wakes waiting workers in order as keys arrive", async () => {
    const q = new WorkQueue();
    const w1 = q.get();
    const w2 = q.get();
    q.add("x");
    q.add("y");
    expect(await w1).toBe("x");
    expect(await w2).toBe("y");
  });

  it("addAfter delays the key, keeps the earliest time, and orders by ready time", async () => {
    const q = new WorkQueue();
    q.addAfter("late", 300);
    q.addAfter("early", 100);
    q.addAfter("late", 500); // later than the existing 300: ignored
    q.addAfter("now", 0);
    expect(q.len()).toBe(1);
    expect(await q.get()).toBe("now");
    vi.advanceTimersByTime(99);
    expect(q.len()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(await q.get()).toBe("early");
    vi.advanceTimersByTime(200);
    expect(await q.get()).toBe("late");
    vi.advanceTimersByTime(1000);
    expect(q.len()).toBe(0);
  });

  it("addAfter moves a waiting key earlier", () => {
    const q = new WorkQueue();
    q.addAfter("a", 1000);
    q.addAfter("a", 10);
    vi.advanceTimersByTime(10);
    expect(q.len()).toBe(1);
  });

  it("backs off 5, 10, 20, ... ms per key up to the cap; forget resets", async () => {
    const q = new WorkQueue({ rateLimiter: new ExponentialRateLimiter(5, 40) });
    const seen: number[] = [];
    for (let i = 0; i < 6; i++) {
      const start = Date.now();
      q.addRateLimited("a");
      for (let t = 0; q.len() === 0 && t < 10_000; t++) vi.advanceTimersByTime(1);
      seen.push(Date.now() - start);
      q.done((await q.get()) as string);
    }
    expect(seen).toEqual([5, 10, 20, 40, 40, 40]);
    expect(q.numRequeues("a")).toBe(6);
    q.forget("a");
    expect(q.numRequeues("a")).toBe(0);
  });

  it("reports metrics", async () => {
    const metrics = recordingMetrics();
    const q = new WorkQueue({ metrics });
    q.add("a");
    vi.advanceTimersByTime(2000);
    await q.get();
    vi.advanceTimersByTime(500);
    q.done("a");
    q.addRateLimited("b");
    expect(metrics.log).toEqual(["add", "depth:1", "latency:2", "depth:0", "work:0.5", "retry"]);
  });

  it("shutDown wakes waiters with undefined and ignores further adds", async () => {
    const q = new WorkQueue();
    const waiting = q.get();
    q.addAfter("later", 100);
    q.shutDown();
    expect(await waiting).toBeUndefined();
    q.add("a");
    vi.advanceTimersByTime(1000);
    expect(q.len()).toBe(0);
    expect(await q.get()).toBeUndefined();
    expect(q.shuttingDown()).toBe(true);
  });

  it("shutDownWithDrain waits for keys being processed", async () => {
    const q = new WorkQueue();
    q.add("a");
    q.add("b");
    await q.get();
    await q.get();
    const drained = q.shutDownWithDrain();
    expect(await pending(drained)).toBe(true);
    q.done("a");
    expect(await pending(drained)).toBe(true);
    q.done("b");
    await drained;
    await q.shutDownWithDrain();
  });
});
