/** Least-squares trends over metric points, for leak and fill forecasts. Pure. */

/** A linear fit y = intercept + slope * t, with its coefficient of determination. */
export interface Trend {
  slope: number;
  intercept: number;
  r2: number;
  points: number;
}

/** The least-squares line through the points; undefined for fewer than 3 points or no time spread. */
export function linearTrend(points: ReadonlyArray<readonly [number, number]>): Trend | undefined {
  const n = points.length;
  if (n < 3) return undefined;
  let st = 0;
  let sy = 0;
  for (const [t, y] of points) {
    st += t;
    sy += y;
  }
  const mt = st / n;
  const my = sy / n;
  let stt = 0;
  let sty = 0;
  let syy = 0;
  for (const [t, y] of points) {
    stt += (t - mt) ** 2;
    sty += (t - mt) * (y - my);
    syy += (y - my) ** 2;
  }
  if (stt === 0) return undefined;
  const slope = sty / stt;
  const r2 = syy === 0 ? 0 : (sty * sty) / (stt * syy);
  return { slope, intercept: my - slope * mt, r2, points: n };
}

/** Seconds from `at` until the trend reaches `limit`; undefined when it never does. */
export function secondsUntil(trend: Trend, limit: number, at: number): number | undefined {
  if (trend.slope <= 0) return undefined;
  const when = (limit - trend.intercept) / trend.slope;
  return Math.max(0, when - at);
}

/**
 * The points since the last reset: a drop of more than `drop` (share of the previous value)
 * means a restart or a cleanup, after which the earlier history no longer predicts anything.
 */
export function sinceLastReset(
  points: ReadonlyArray<readonly [number, number]>,
  drop = 0.3,
): Array<[number, number]> {
  let start = 0;
  for (let i = 1; i < points.length; i++) {
    const prev = points[i - 1]![1];
    if (prev > 0 && points[i]![1] < prev * (1 - drop)) start = i;
  }
  return points.slice(start).map(([t, y]) => [t, y]);
}

/** A duration for people: "45m", "3h 10m", "2d 4h". */
export function humanDuration(seconds: number): string {
  const m = Math.max(1, Math.round(seconds / 60));
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}
