/**
 * Anomaly detection without hand-set thresholds: each point is compared with its own
 * seasonal baseline (same time of day, same kind of day) as a robust z-score, and flagged
 * only when it stays beyond the threshold for several points in the bad direction. Rollouts
 * in progress, low traffic and load that follows traffic do not page.
 */
import type { Point } from "./baseline.ts";
import { baselineAt } from "./baseline.ts";
import type { Signal } from "./signals.ts";
import { SIGNALS } from "./signals.ts";

/** One detected anomaly, with the numbers that explain it. */
export interface Anomaly {
  signal: Signal;
  /** First anomalous point of the run (unix seconds). */
  start: number;
  /** When the run had lasted `sustain` points: when it would have paged. */
  detectedAt: number;
  value: number;
  expected: number;
  /** Robust z-score (in scaled MADs) at detection. */
  score: number;
  /** E.g. "p99 2.8 s vs 0.41 s expected for Tuesday 10:00, 7.1 MAD". */
  message: string;
}

/** Knobs with defaults that need no tuning per workload. */
export interface DetectOptions {
  /** Scaled MADs beyond the baseline that count (default 6). */
  threshold?: number;
  /** Consecutive anomalous points before it pages (default 3: 15 minutes at a 5-minute step). */
  sustain?: number;
  /** The workload's request rate, for the low-traffic and follows-traffic rules. */
  traffic?: readonly Point[];
  /** Below this many requests per second, ratio and latency signals are not judged (default 0.2). */
  minRate?: number;
  /** Rollouts (unix seconds): nothing pages during one or for `rolloutGraceSeconds` after. */
  rollouts?: ReadonlyArray<{ start: number; end: number }>;
  rolloutGraceSeconds?: number;
}

const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const when = (t: number) => {
  const d = new Date(t * 1000);
  return `${DAYS[d.getUTCDay()]} ${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
};

function valueAt(points: readonly Point[] | undefined, t: number): number | undefined {
  if (!points?.length) return undefined;
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (points[mid]!.t <= t) lo = mid;
    else hi = mid - 1;
  }
  return points[lo]!.t <= t ? points[lo]!.v : undefined;
}

/** Load, not a fault: traffic rose at least as much as the signal (with a fifth of slack). */
function followsTraffic(t: number, v: number, expected: number, traffic: readonly Point[]): boolean {
  const now = valueAt(traffic, t);
  const base = baselineAt(traffic, t);
  if (now === undefined || !base || base.expected <= 0) return false;
  const rise = now / base.expected;
  return rise >= 1.3 && v / expected <= rise * 1.2;
}

function suppressed(signal: Signal, t: number, v: number, expected: number, opts: DetectOptions): boolean {
  const spec = SIGNALS[signal];
  const grace = opts.rolloutGraceSeconds ?? 900;
  if (opts.rollouts?.some((r) => t >= r.start && t <= r.end + grace)) return true;
  const rate = signal === "requestRate" ? expected : valueAt(opts.traffic, t);
  if (spec.needsTraffic && rate !== undefined && rate < (opts.minRate ?? 0.2)) return true;
  return spec.followsTraffic && opts.traffic !== undefined && followsTraffic(t, v, expected, opts.traffic);
}

/** Anomalies of one signal among the points at or after `from`; history before it is the baseline. */
export function detectAnomalies(
  signal: Signal,
  points: readonly Point[],
  from: number,
  opts: DetectOptions = {},
): Anomaly[] {
  const spec = SIGNALS[signal];
  const threshold = opts.threshold ?? 6;
  const sustain = opts.sustain ?? 3;
  const out: Anomaly[] = [];
  let run: { start: number; count: number; reported: boolean } | undefined;
  for (const p of points) {
    if (p.t < from || !Number.isFinite(p.v)) continue;
    const b = baselineAt(points, p.t);
    let score = 0;
    if (b) {
      const spread = Math.max(b.spread, spec.floor, spec.relativeFloor * Math.abs(b.expected));
      score = ((p.v - b.expected) / spread) * (spec.bad === "up" ? 1 : -1);
    }
    if (!b || score < threshold || suppressed(signal, p.t, p.v, b.expected, opts)) {
      run = undefined;
      continue;
    }
    run ??= { start: p.t, count: 0, reported: false };
    run.count++;
    if (run.count >= sustain && !run.reported) {
      run.reported = true;
      const msg = `${spec.label} ${spec.format(p.v)} vs ${spec.format(b.expected)} expected for ${when(p.t)}, ${score.toFixed(1)} MAD`;
      out.push({
        signal,
        start: run.start,
        detectedAt: p.t,
        value: p.v,
        expected: b.expected,
        score,
        message: msg,
      });
    }
  }
  return out;
}
