import { describe, expect, it } from "vitest";
import { ReplayGuard, TtlLru, taskNameForMessage } from "./replay.ts";

describe("TtlLru", () => {
  it("expires entries after the TTL and evicts the least recently used when full", () => {
    let now = 0;
    const lru = new TtlLru<number>(2, 1000, () => now);
    lru.set("a", 1);
    lru.set("b", 2);
    expect(lru.get("a")).toBe(1); // a is now the most recent
    lru.set("c", 3);
    expect(lru.get("b")).toBeUndefined();
    expect(lru.get("a")).toBe(1);
    now = 2000;
    expect(lru.get("a")).toBeUndefined();
    expect(lru.size).toBeLessThanOrEqual(2);
  });
});

describe("ReplayGuard", () => {
  const at = 1_700_000_000;
  const guard = (now = at * 1000) => new ReplayGuard({ windowSeconds: 300, now: () => now });

  it("admits a fresh timestamp once per nonce", () => {
    const g = guard();
    expect(() => g.admit(String(at), "n1")).not.toThrow();
    expect(() => g.admit(String(at), "n1")).toThrow(expect.objectContaining({ failure: "Replayed" }));
    expect(() => g.admit(String(at), "n2")).not.toThrow();
  });

  it("refuses timestamps outside the window either way", () => {
    const g = guard();
    expect(() => g.admit(String(at - 301), "a")).toThrow(expect.objectContaining({ failure: "Stale" }));
    expect(() => g.admit(String(at + 301), "b")).toThrow(expect.objectContaining({ failure: "Stale" }));
    expect(() => g.admit(String(at - 299), "c")).not.toThrow();
    expect(() => g.admit("12ab", "d")).toThrow(expect.objectContaining({ failure: "Malformed" }));
  });

  it("remembers MsgIds with what to answer duplicates", () => {
    const g = new ReplayGuard<string>({ maxMessageIds: 2 });
    expect(g.seenMessage("1")).toBeUndefined();
    g.rememberMessage("1", "shop/t1");
    expect(g.seenMessage("1")).toBe("shop/t1");
    g.rememberMessage("2", "x");
    g.rememberMessage("3", "y");
    expect(g.seenMessage("1")).toBeUndefined(); // bounded: the oldest was evicted
  });
});

describe("taskNameForMessage", () => {
  it("is deterministic per CorpID and MsgId and a valid object name", () => {
    const name = taskNameForMessage("corp", "1234567890123456");
    expect(name).toBe(taskNameForMessage("corp", "1234567890123456"));
    expect(name).not.toBe(taskNameForMessage("corp", "1234567890123457"));
    expect(name).not.toBe(taskNameForMessage("other", "1234567890123456"));
    expect(name).toMatch(/^wecom-[0-9a-f]{16}$/);
  });
});
