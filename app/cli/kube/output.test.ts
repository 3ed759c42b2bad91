import { describe, expect, it } from "vitest";
import { ageOf, formatStructured, humanAge, renderTable, withoutManagedFields } from "./output.ts";

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

describe("humanAge", () => {
  // The values k8s.io/apimachinery's duration.HumanDuration prints for the same durations.
  it.each([
    [-3 * s, "<invalid>"],
    [-1500, "0s"],
    [0, "0s"],
    [119 * s, "119s"],
    [2 * m, "2m"],
    [3 * m + 12 * s, "3m12s"],
    [10 * m + 59 * s, "10m"],
    [179 * m, "179m"],
    [3 * h, "3h"],
    [7 * h + 30 * m, "7h30m"],
    [8 * h + 30 * m, "8h"],
    [47 * h, "47h"],
    [2 * d, "2d"],
    [7 * d + 5 * h, "7d5h"],
    [8 * d + 5 * h, "8d"],
    [729 * d, "729d"],
    [730 * d, "2y"],
    [3 * 365 * d + 10 * d, "3y10d"],
    [9 * 365 * d, "9y"],
  ])("%d ms is %s", (ms, age) => {
    expect(humanAge(ms)).toBe(age);
  });

  it("ages an object from its creationTimestamp", () => {
    const now = Date.parse("2026-12-06T10:05:00Z");
    expect(ageOf("2026-12-06T10:00:00Z", now)).toBe("5m");
    expect(ageOf(undefined, now)).toBe("<unknown>");
  });
});

describe("renderTable", () => {
  it("aligns columns three spaces apart, <none> for empty cells, no trailing spaces", () => {
    expect(
      renderTable(
        ["NAME", "PHASE", "CATEGORY"],
        [
          ["why-checkout", "Diagnosed", "CrashLoop"],
          ["t", "Pending", ""],
        ],
      ),
    ).toBe(
      [
        "NAME           PHASE       CATEGORY",
        "why-checkout   Diagnosed   CrashLoop",
        "t              Pending     <none>",
      ].join("\n"),
    );
  });

  it("aligns by terminal columns: a Chinese character takes two", () => {
    expect(
      renderTable(
        ["NAME", "B"],
        [
          ["诊断", "x"],
          ["ab", "y"],
        ],
      ).split("\n"),
    ).toEqual(["NAME   B", "诊断   x", "ab     y"]);
  });
});

describe("formatStructured", { timeout: 30_000 }, () => {
  const obj = { kind: "List", items: [{ metadata: { name: "a" } }], note: "line1\nline2" };

  it("prints JSON with two-space indents and YAML that parses back to the same value", async () => {
    expect(await formatStructured(obj, "json")).toBe(JSON.stringify(obj, null, 2));
    const { load } = await import("js-yaml");
    const yaml = await formatStructured(obj, "yaml");
    expect(yaml).toMatch(/^kind: List$/m);
    expect(load(yaml)).toEqual(obj);
  });

  it("drops metadata.managedFields as kubectl does", () => {
    const o = { metadata: { name: "a", managedFields: [{ manager: "x" }] } };
    expect(withoutManagedFields(o)).toEqual({ metadata: { name: "a" } });
    expect(o.metadata.managedFields).toHaveLength(1);
  });
});
