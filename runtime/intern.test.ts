import { describe, expect, it } from "vitest";
import { StringInterner } from "./intern.ts";

const pod = (name: string) =>
  JSON.parse(
    JSON.stringify({
      metadata: { name, namespace: "shop", uid: `uid-${name}`, resourceVersion: "42" },
      spec: { schedulerName: "default-scheduler", tolerations: [{ key: "node.kubernetes.io/not-ready" }] },
      status: { conditions: [{ type: "Ready", reason: "ContainersNotReady" }], message: "x".repeat(300) },
    }),
  ) as Record<string, unknown>;

describe("StringInterner", () => {
  it("changes no value, whether in objects or arrays", () => {
    const interner = new StringInterner();
    const a = pod("a");
    const copy = structuredClone(a);
    expect(interner.intern(a)).toBe(a);
    expect(a).toEqual(copy);
  });

  it("keeps one entry per distinct short value, never uids, resourceVersions or long texts", () => {
    const interner = new StringInterner();
    interner.intern(pod("a"));
    const after = interner.size;
    interner.intern(pod("b"));
    // Only the new name is new: every other short value was already held.
    expect(interner.size).toBe(after + 1);
    expect(interner.string("default-scheduler")).toBe("default-scheduler");
    const held = new Set(["a", "b", "shop", "default-scheduler", "node.kubernetes.io/not-ready", "Ready"]);
    expect(interner.size).toBe(held.add("ContainersNotReady").size);
  });

  it("starts afresh when full, and leaves frozen objects alone", () => {
    const interner = new StringInterner(3);
    for (const s of ["1", "2", "3"]) interner.string(s);
    expect(interner.size).toBe(3);
    interner.string("4");
    expect(interner.size).toBe(1);
    const frozen = Object.freeze({ reason: "BackOff" });
    expect(() => interner.intern({ nested: frozen })).not.toThrow();
    expect(interner.size).toBe(1);
  });
});
