import { describe, expect, it } from "vitest";
import { LruSet } from "./lru.ts";
import { settleAll } from "./pool.ts";
import { TtlCache } from "./ttl-cache.ts";

describe("LruSet", () => {
  it("evicts the least recently used and expires entries", () => {
    let now = 0;
    const lru = new LruSet(2, 100, () => now);
    lru.add("a");
    lru.add("b");
    expect(lru.has("a")).toBe(true); // a is now the most recent
    lru.add("c");
    expect(lru.has("b")).toBe(false);
    expect(lru.has("a")).toBe(true);
    now = 200;
    expect(lru.has("a")).toBe(false);
  });

  it("is off at size 0", () => {
    const lru = new LruSet(0, 100);
    lru.add("a");
    expect(lru.has("a")).toBe(false);
  });
});

describe("TtlCache", () => {
  it("shares one load between concurrent callers and forgets failures", async () => {
    const cache = new TtlCache<number>(1000);
    let loads = 0;
    const load = async () => ++loads;
    expect(await Promise.all([cache.get("k", load), cache.get("k", load)])).toEqual([1, 1]);
    await expect(cache.get("f", async () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    await new Promise((r) => setImmediate(r));
    expect(await cache.get("f", load)).toBe(2);
  });
});

describe("settleAll", () => {
  it("bounds concurrency, keeps order, and throws the first error after all settled", async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    const work = async (n: number) => {
      peak = Math.max(peak, ++running);
      await new Promise((r) => setTimeout(r, 1));
      running--;
      done.push(n);
      if (n === 3) throw new Error("three");
      return n * 2;
    };
    await expect(settleAll([1, 2, 3, 4, 5, 6], 2, work)).rejects.toThrow("three");
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(peak).toBe(2);
    expect(await settleAll([1, 2], 4, async (n) => n * 2)).toEqual([2, 4]);
  });
});
