/**
 * Days until a resource is exhausted, from trend plus weekly seasonality of its daily peaks.
 * Exhaustion happens at the peak of a day, so the engine forecasts daily peaks: the daily
 * cycle is absorbed by taking the peak, the weekly cycle (quiet weekends) by a per-weekday
 * offset when it explains the data, the trend by a Theil–Sen line (robust to a spike or a
 * backfill). The band comes from the spread of pairwise slopes and of the residuals.
 */
import type { DailyPeak, Sample } from "./series.ts";
import { dailyPeaks, median, quantile, theilSen } from "./series.ts";

const DAY = 86_400;
/** Fewer full days than this and the engine declines to forecast. */
export const MIN_DAYS = 5;
/** How far ahead a crossing is searched at most. */
export const MAX_DAYS = 365;

/** What to forecast: usage (or requests) history against a capacity. */
export interface ForecastInput {
  samples: readonly Sample[];
  capacity: number;
  /** Unix seconds; only full days before today's start are fitted. */
  now: number;
}

/** The answer, in days from `now`; null days when the peaks do not grow toward the capacity. */
export interface Forecast {
  capacity: number;
  /** The most recent daily peak. */
  lastPeak: number;
  /** lastPeak / capacity. */
  utilization: number;
  /** Growth of the daily peak per day (trend only). */
  slopePerDay: number;
  daysToExhaustion: number | null;
  /** Earliest and latest plausible exhaustion (80 % band); null when not within MAX_DAYS. */
  band: { earliest: number | null; latest: number | null };
  /** "weekly" when a weekday profile explained the peaks, else "none". */
  seasonality: "weekly" | "none";
  /** Full days fitted. */
  days: number;
}

/** Why no forecast could be made. */
export interface NoForecast {
  insufficient: string;
}

interface Fit {
  slope: number;
  slopeLow: number;
  slopeHigh: number;
  level: (x: number) => number;
  weekday: number[];
  residuals: number[];
}

const weekdayOf = (day: number): number => (Math.floor(day / DAY) + 4) % 7; // 1970-01-01 was a Thursday

function fitPeaks(peaks: readonly DailyPeak[]): Fit & { seasonality: "weekly" | "none" } {
  const xs = peaks.map((p) => p.day / DAY);
  const ys = peaks.map((p) => p.v);
  const plain = theilSen(xs, ys);
  const plainRes = ys.map((y, i) => y - (plain.intercept + plain.slope * xs[i]!));
  const none = { ...fitOf(plain, xs, ys, [0, 0, 0, 0, 0, 0, 0]), seasonality: "none" as const };
  if (peaks.length < 14) return none;
  // A weekday profile counts only when it explains the peaks: residual spread down by a fifth.
  const weekday = [0, 1, 2, 3, 4, 5, 6].map((d) =>
    median(plainRes.filter((_, i) => weekdayOf(peaks[i]!.day) === d)),
  );
  const deseason = ys.map((y, i) => y - weekday[weekdayOf(peaks[i]!.day)]!);
  const seasonal = fitOf(theilSen(xs, deseason), xs, ys, weekday);
  const spread = (r: number[]) => median(r.map(Math.abs));
  return spread(seasonal.residuals) < 0.8 * spread(plainRes) ? { ...seasonal, seasonality: "weekly" } : none;
}

function fitOf(
  line: ReturnType<typeof theilSen>,
  xs: readonly number[],
  ys: readonly number[],
  weekday: number[],
): Fit {
  const level = (x: number) => line.intercept + line.slope * x;
  const residuals = ys.map((y, i) => y - level(xs[i]!) - weekday[weekdayOf(xs[i]! * DAY)]!);
  return { slope: line.slope, slopeLow: line.slopeLow, slopeHigh: line.slopeHigh, level, weekday, residuals };
}

/** Whole days from `from` until the first day whose forecast peak reaches the capacity. */
function crossing(peakAt: (x: number) => number, from: number, capacity: number): number | null {
  // Whole days: with a weekly profile, interpolating between a quiet Sunday and a busy Monday
  // would place the crossing on the Sunday.
  for (let k = 0; k <= MAX_DAYS; k++) if (peakAt(from + k) >= capacity) return k;
  return null;
}

/** Forecasts exhaustion of `capacity` from the history of daily peaks. */
export function forecastExhaustion(input: ForecastInput): Forecast | NoForecast {
  if (!(input.capacity > 0)) return { insufficient: "no capacity to compare with" };
  const today = Math.floor(input.now / DAY) * DAY;
  const peaks = dailyPeaks(input.samples.filter((s) => s.t < today));
  if (peaks.length < MIN_DAYS)
    return { insufficient: `${peaks.length} full days of history, ${MIN_DAYS} needed` };
  const fit = fitPeaks(peaks);
  const nowX = input.now / DAY;
  const lastX = peaks.at(-1)!.day / DAY;
  const seasonal = (x: number) => fit.weekday[weekdayOf(Math.floor(x) * DAY)]!;
  // The band pivots at the last fitted day: slopes fan out from where the data ends.
  const pivot = fit.level(lastX);
  const hi = quantile(fit.residuals, 0.9);
  const lo = quantile(fit.residuals, 0.1);
  const path = (slope: number, offset: number) => (x: number) =>
    pivot + slope * (x - lastX) + seasonal(x) + offset;
  const lastPeak = peaks.at(-1)!.v;
  const grows = fit.slope > 0;
  return {
    capacity: input.capacity,
    lastPeak,
    utilization: lastPeak / input.capacity,
    slopePerDay: fit.slope,
    daysToExhaustion:
      grows || lastPeak >= input.capacity ? crossing(path(fit.slope, 0), nowX, input.capacity) : null,
    band: {
      earliest: crossing(path(Math.max(fit.slopeHigh, fit.slope), hi), nowX, input.capacity),
      latest: fit.slopeLow > 0 ? crossing(path(fit.slopeLow, lo), nowX, input.capacity) : null,
    },
    seasonality: fit.seasonality,
    days: peaks.length,
  };
}

/** True when the answer is a forecast (not a refusal). */
export const isForecast = (f: Forecast | NoForecast): f is Forecast => !("insufficient" in f);
