import { describe, expect, it } from "vitest";
import { createMergePatch, jsonEqual } from "./merge-patch.ts";

describe("jsonEqual", () => {
  it("ignores key order and undefined keys, not array order", () => {
    expect(jsonEqual({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1, x: undefined }, { a: 1 })).toBe(true);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual({ a: null }, { a: undefined })).toBe(false);
    expect(jsonEqual({ a: [] }, { a: {} })).toBe(false);
    expect(jsonEqual("1", 1)).toBe(false);
  });
});

describe("createMergePatch", () => {
  it("returns undefined for equal documents", () => {
    expect(createMergePatch({ a: { b: 1 } }, { a: { b: 1 } })).toBeUndefined();
  });

  it("sets changed keys, nulls removed ones, recurses into objects and replaces arrays", () => {
    const from = { phase: "Running", gone: "x", nested: { keep: 1, drop: 2 }, list: [1, 2] };
    const to = { phase: "Done", nested: { keep: 1, add: 3 }, list: [1], fresh: { a: 1 } };
    expect(createMergePatch(from, to)).toEqual({
      phase: "Done",
      gone: null,
      nested: { drop: null, add: 3 },
      list: [1],
      fresh: { a: 1 },
    });
  });

  it("replaces non-objects whole", () => {
    expect(createMergePatch({ a: 1 }, [1])).toEqual([1]);
    expect(createMergePatch(undefined, { a: 1 })).toEqual({ a: 1 });
  });
});
