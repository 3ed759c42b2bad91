/** Time series as the capacity engine reads them: samples, daily peaks, robust statistics. */

/** One sample: unix seconds and a value. */
export interface Sample {
  t: number;
  v: number;
}

/** The peak of one UTC day (its start in unix seconds). */
export interface DailyPeak {
  day: number;
  v: number;
}

const DAY = 86_400;

/** The maximum of each UTC day that has at least `minSamples` samples (partial days would bias low). */
export function dailyPeaks(samples: readonly Sample[], minSamples = 1): DailyPeak[] {
  const byDay = new Map<number, { max: number; n: number }>();
  for (const s of samples) {
    if (!Number.isFinite(s.v)) continue;
    const day = Math.floor(s.t / DAY) * DAY;
    const cur = byDay.get(day);
    if (cur) {
      cur.max = Math.max(cur.max, s.v);
      cur.n++;
    } else byDay.set(day, { max: s.v, n: 1 });
  }
  return [...byDay.entries()]
    .filter(([, d]) => d.n >= minSamples)
    .sort((a, b) => a[0] - b[0])
    .map(([day, d]) => ({ day, v: d.max }));
}

/** The q-quantile (0..1) of values, linear between order statistics; NaN when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** The median of values. */
export const median = (values: readonly number[]): number => quantile(values, 0.5);

/**
 * Theil–Sen line through (x, y): the median of pairwise slopes, robust to a third of the
 * points being outliers (a spike, a backfill), with the slopes' quantiles as a band.
 */
export function theilSen(
  xs: readonly number[],
  ys: readonly number[],
  band = 0.8,
): { slope: number; intercept: number; slopeLow: number; slopeHigh: number } {
  const slopes: number[] = [];
  for (let i = 0; i < xs.length; i++)
    for (let j = i + 1; j < xs.length; j++)
      if (xs[j] !== xs[i]) slopes.push((ys[j]! - ys[i]!) / (xs[j]! - xs[i]!));
  const slope = slopes.length ? median(slopes) : 0;
  const intercept = median(xs.map((x, i) => ys[i]! - slope * x));
  const tail = (1 - band) / 2;
  return {
    slope,
    intercept,
    slopeLow: slopes.length ? quantile(slopes, tail) : 0,
    slopeHigh: slopes.length ? quantile(slopes, 1 - tail) : 0,
  };
}
