/**
 * The expected value of a signal at a moment, from its own history: the same time of day on
 * earlier days of the same kind (weekdays with weekdays, weekend days with weekend days), a
 * few points either side. Median and MAD make it robust: one bad day in the history does not
 * become the norm.
 */

/** One sample: unix seconds and a value. */
export interface Point {
  t: number;
  v: number;
}

/** What is expected at a moment and how much it normally varies. */
export interface Baseline {
  expected: number;
  /** Scaled MAD (1.4826 × median absolute deviation): a standard deviation for normal data. */
  spread: number;
  /** History points it rests on. */
  n: number;
}

const DAY = 86_400;
/** Days of history the baseline looks back over at most. */
export const LOOKBACK_DAYS = 14;
/** Points either side of the same time of day that count (at a 5-minute step: ±15 minutes). */
export const HALF_WINDOW_SECONDS = 15 * 60;

/** Saturday and Sunday in UTC; a deployment's own calendar is a later refinement. */
export const isWeekend = (t: number): boolean => {
  const d = (Math.floor(t / DAY) + 4) % 7; // 0 = Sunday; 1970-01-01 was a Thursday (4)
  return d === 6 || d === 0;
};

// A typed array sorts numerically without a comparator call per pair: the cycle takes
// thousands of medians.
function median(values: ArrayLike<number>): number {
  const s = Float64Array.from(values).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Index of the first point at or after t in a time-sorted series. */
function lowerBound(points: readonly Point[], t: number): number {
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function sameTimeOnDays(points: readonly Point[], t: number, sameKind: boolean): number[] {
  const out: number[] = [];
  const weekend = isWeekend(t);
  for (let k = 1; k <= LOOKBACK_DAYS; k++) {
    const c = t - k * DAY;
    if (sameKind && isWeekend(c) !== weekend) continue;
    for (
      let i = lowerBound(points, c - HALF_WINDOW_SECONDS);
      i < points.length && points[i]!.t <= c + HALF_WINDOW_SECONDS;
      i++
    )
      out.push(points[i]!.v);
  }
  return out;
}

/** Fewest history points a baseline rests on: 60 % of `minDays` full windows. */
const enough = (n: number, minDays: number) =>
  n >= minDays * (2 * Math.floor(HALF_WINDOW_SECONDS / 300) + 1) * 0.6;

/** Whether the history differs in kind on day k before t (then it counts only as a fallback). */
export const otherKindDay = (t: number, k: number): boolean => isWeekend(t - k * DAY) !== isWeekend(t);

/** True when the baseline at t falls back to every day: same-kind days alone hold too little. */
export function needsOtherKindDays(points: readonly Point[], t: number, minDays = 2): boolean {
  return !enough(sameTimeOnDays(points, t, true).length, minDays);
}

/**
 * The baseline at time t from the points before it; undefined when history is too thin.
 * Same-kind days are used when at least two exist, else every day.
 */
export function baselineAt(points: readonly Point[], t: number, minDays = 2): Baseline | undefined {
  let values = sameTimeOnDays(points, t, true);
  if (!enough(values.length, minDays)) values = sameTimeOnDays(points, t, false);
  if (!enough(values.length, minDays)) return undefined;
  const expected = median(values);
  const spread = 1.4826 * median(values.map((v) => Math.abs(v - expected)));
  return { expected, spread, n: values.length };
}
