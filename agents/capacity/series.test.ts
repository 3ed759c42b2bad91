import { describe, expect, it } from "vitest";
import { dailyPeaks, quantile, theilSen } from "./series.ts";

describe("series", () => {
  it("takes the peak of each UTC day and drops days with too few samples", () => {
    const day = 86_400;
    const samples = [
      { t: 10, v: 1 },
      { t: 20, v: 5 },
      { t: day + 5, v: 3 },
      { t: 2 * day + 1, v: Number.NaN },
    ];
    expect(dailyPeaks(samples)).toEqual([
      { day: 0, v: 5 },
      { day, v: 3 },
    ]);
    expect(dailyPeaks(samples, 2)).toEqual([{ day: 0, v: 5 }]);
  });

  it("interpolates quantiles", () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it("fits a line that a third of outliers cannot move", () => {
    const xs = Array.from({ length: 12 }, (_, i) => i);
    const ys = xs.map((x, i) => (i % 3 === 0 ? 1000 : 2 * x + 1));
    const fit = theilSen(xs, ys);
    expect(fit.slope).toBeCloseTo(2, 5);
    expect(fit.slopeLow).toBeLessThanOrEqual(fit.slope);
    expect(fit.slopeHigh).toBeGreaterThanOrEqual(fit.slope);
  });
});
