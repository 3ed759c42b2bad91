import { describe, expect, it } from "vitest";
import type { Point } from "./baseline.ts";
import { baselineAt, isWeekend, needsOtherKindDays, otherKindDay } from "./baseline.ts";

const DAY = 86_400;
const at = (d: string, time = "12:00:00") => Date.parse(`${d}T${time}Z`) / 1000;

/** Seven points a day, 5 minutes apart around noon, on the given earlier days of `t`. */
const history = (t: number, days: number[], v: (k: number) => number): Point[] =>
  days
    .flatMap((k) => Array.from({ length: 7 }, (_, j) => ({ t: t - k * DAY - 900 + j * 300, v: v(k) })))
    .sort((a, b) => a.t - b.t);

describe("isWeekend", () => {
  it("knows Saturday and Sunday in UTC", () => {
    expect(isWeekend(at("2026-12-05"))).toBe(true); // Saturday
    expect(isWeekend(at("2026-12-06"))).toBe(true); // Sunday
    expect(isWeekend(at("2026-12-07"))).toBe(false); // Monday
    expect(isWeekend(at("2026-12-04"))).toBe(false); // Friday
  });
});

describe("same-kind days", () => {
  const monday = at("2026-12-07");

  it("tells which earlier days are of the other kind", () => {
    const other = Array.from({ length: 14 }, (_, i) => i + 1).filter((k) => otherKindDay(monday, k));
    expect(other).toEqual([1, 2, 8, 9]); // the two weekends before
    // Just after midnight on Saturday, Friday evening (one day earlier) is of the other kind.
    expect(otherKindDay(at("2026-12-05", "00:10:00"), 1)).toBe(true);
  });

  it("falls back to every day only when same-kind history is short", () => {
    const weekdays = history(monday, [3, 4], () => 10); // Friday, Thursday
    const weekend = history(monday, [1, 2], () => 50);
    expect(needsOtherKindDays(weekdays, monday)).toBe(false);
    expect(
      baselineAt(
        [...weekend, ...weekdays].sort((a, b) => a.t - b.t),
        monday,
      )?.expected,
    ).toBe(10);
    const oneWeekday = history(monday, [3], () => 10);
    expect(needsOtherKindDays(oneWeekday, monday)).toBe(true);
    // One weekday and two weekend days: the baseline pools all three.
    const pooled = baselineAt(
      [...weekend, ...oneWeekday].sort((a, b) => a.t - b.t),
      monday,
    );
    expect(pooled).toMatchObject({ expected: 50, n: 21 });
  });
});
