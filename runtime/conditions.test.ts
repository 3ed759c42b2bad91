import { describe, expect, it } from "vitest";
import {
  findCondition,
  formatTime,
  isFalse,
  isTrue,
  isUnknown,
  removeCondition,
  setCondition,
  type Condition,
} from "./conditions.ts";

const T0 = Date.parse("2025-01-01T00:00:00.750Z");
const T1 = Date.parse("2025-01-01T00:05:00Z");

describe("conditions", () => {
  it("formats times like metav1.Time", () => {
    expect(formatTime(T0)).toBe("2025-01-01T00:00:00Z");
  });

  it("adds a condition stamped now", () => {
    const c = setCondition(
      undefined,
      { type: "Ready", status: "False", reason: "Pending", message: "m" },
      T0,
    );
    expect(c).toEqual([
      {
        type: "Ready",
        status: "False",
        reason: "Pending",
        message: "m",
        lastTransitionTime: "2025-01-01T00:00:00Z",
      },
    ]);
  });

  it("keeps lastTransitionTime unless the status flips, updating reason/message/observedGeneration", () => {
    let c: Condition[] = setCondition(
      [],
      { type: "Ready", status: "False", reason: "A", message: "a", observedGeneration: 1 },
      T0,
    );
    c = setCondition(
      c,
      { type: "Ready", status: "False", reason: "B", message: "b", observedGeneration: 2 },
      T1,
    );
    expect(c[0]).toMatchObject({
      reason: "B",
      message: "b",
      observedGeneration: 2,
      lastTransitionTime: formatTime(T0),
    });
    c = setCondition(c, { type: "Ready", status: "True", reason: "Done", message: "" }, T1);
    expect(c[0]).toEqual({
      type: "Ready",
      status: "True",
      reason: "Done",
      message: "",
      lastTransitionTime: formatTime(T1),
    });
  });

  it("returns an equal array for an unchanged condition (so the status write is skipped)", () => {
    const c = setCondition([], { type: "Ready", status: "True", reason: "R", message: "" }, T0);
    expect(setCondition(c, { type: "Ready", status: "True", reason: "R", message: "" }, T1)).toEqual(c);
  });

  it("honours an explicit lastTransitionTime and keeps other conditions in place", () => {
    let c = setCondition([], { type: "A", status: "True", reason: "R", message: "" }, T0);
    c = setCondition(c, { type: "B", status: "True", reason: "R", message: "", lastTransitionTime: "x" }, T0);
    expect(c.map((x) => x.type)).toEqual(["A", "B"]);
    expect(findCondition(c, "B")?.lastTransitionTime).toBe("x");
  });

  it("finds, tests and removes", () => {
    const c = setCondition([], { type: "Ready", status: "True", reason: "R", message: "" }, T0);
    expect(isTrue(c, "Ready")).toBe(true);
    expect(isFalse(c, "Ready")).toBe(false);
    expect(isUnknown(c, "Other")).toBe(true);
    expect(removeCondition(c, "Ready")).toEqual([]);
    expect(findCondition(undefined, "Ready")).toBeUndefined();
  });
});
