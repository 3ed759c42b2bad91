import { describe, expect, it } from "vitest";
import { humanDuration, linearTrend, secondsUntil, sinceLastReset } from "./trend.ts";

describe("linearTrend", () => {
  it("fits a straight line exactly", () => {
    const t = linearTrend([0, 60, 120, 180].map((s) => [s, 100 + 2 * s] as [number, number]))!;
    expect(t.slope).toBeCloseTo(2);
    expect(t.intercept).toBeCloseTo(100);
    expect(t.r2).toBeCloseTo(1);
  });

  it("gives a low r2 to noise around a flat line", () => {
    const pts = Array.from({ length: 60 }, (_, i) => [i * 60, 500 + (i % 2 ? 40 : -40)] as [number, number]);
    expect(linearTrend(pts)!.r2).toBeLessThan(0.1);
  });

  it("needs three points spread in time", () => {
    expect(
      linearTrend([
        [0, 1],
        [1, 2],
      ]),
    ).toBeUndefined();
    expect(
      linearTrend([
        [5, 1],
        [5, 2],
        [5, 3],
      ]),
    ).toBeUndefined();
  });
});

describe("secondsUntil", () => {
  it("predicts when a rising line reaches the limit", () => {
    const t = linearTrend([
      [0, 0],
      [10, 10],
      [20, 20],
    ])!;
    expect(secondsUntil(t, 100, 20)).toBeCloseTo(80);
  });

  it("never reaches the limit when falling or flat", () => {
    expect(
      secondsUntil(
        linearTrend([
          [0, 9],
          [10, 5],
          [20, 1],
        ])!,
        100,
        20,
      ),
    ).toBeUndefined();
  });
});

describe("sinceLastReset", () => {
  it("keeps only the points after a restart drop", () => {
    const pts: [number, number][] = [
      [0, 100],
      [1, 200],
      [2, 300],
      [3, 50],
      [4, 80],
      [5, 110],
    ];
    expect(sinceLastReset(pts)).toEqual([
      [3, 50],
      [4, 80],
      [5, 110],
    ]);
  });

  it("keeps everything without a drop", () => {
    expect(
      sinceLastReset([
        [0, 1],
        [1, 2],
        [2, 1.9],
      ]),
    ).toHaveLength(3);
  });
});

describe("humanDuration", () => {
  it("reads like a person would say it", () => {
    expect(humanDuration(45 * 60)).toBe("45m");
    expect(humanDuration(3 * 3600 + 600)).toBe("3h 10m");
    expect(humanDuration(52 * 3600)).toBe("2d 4h");
  });
});
