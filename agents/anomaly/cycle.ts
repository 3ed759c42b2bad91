/**
 * One evaluation cycle of anomaly detection over every workload Prometheus (or
 * VictoriaMetrics) knows: per signal, one range query for the last half hour and one small
 * range query per earlier day of the same kind around the same time of day, so the number of
 * queries does not grow with the number of workloads and each series brings at most about 200
 * points, not 14 days. Signals are fetched and judged one at a time, so memory holds one
 * signal and the traffic it is judged against, not all six.
 */
import type { PrometheusClient, Series } from "../../tools/prometheus/client.ts";
import type { Point } from "./baseline.ts";
import { HALF_WINDOW_SECONDS, LOOKBACK_DAYS, needsOtherKindDays, otherKindDay } from "./baseline.ts";
import type { Anomaly, DetectOptions } from "./detect.ts";
import { detectAnomalies } from "./detect.ts";
import type { Signal } from "./signals.ts";
import { SIGNALS } from "./signals.ts";

// Pods to workloads: <name>-<replicaset hash>-<5 chars> (Deployment) or <name>-<ordinal>.
const WORKLOAD = `label_replace(%s, "workload", "$1", "pod", "(.+?)(?:-[a-z0-9]{5,10}-[a-z0-9]{5}|-[0-9]+)?")`;
const byWorkload = (expr: string) => `sum by (namespace, workload) (${WORKLOAD.replace("%s", expr)})`;

/** PromQL per signal, one series per (namespace, workload); HTTP metrics by the usual client conventions. */
export const DEFAULT_SIGNAL_QUERIES: Record<Signal, string> = {
  requestRate: byWorkload("rate(http_requests_total[5m])"),
  errorRatio: `${byWorkload('rate(http_requests_total{code=~"5.."}[5m])')} / ${byWorkload("rate(http_requests_total[5m])")}`,
  latencyP99: `histogram_quantile(0.99, sum by (namespace, workload, le) (${WORKLOAD.replace("%s", "rate(http_request_duration_seconds_bucket[5m])")}))`,
  cpu: byWorkload('rate(container_cpu_usage_seconds_total{container!=""}[5m])'),
  memory: byWorkload('container_memory_working_set_bytes{container!=""}'),
  restarts: byWorkload("increase(kube_pod_container_status_restarts_total[15m])"),
};

/** An anomaly of one workload. */
export interface WorkloadAnomaly {
  namespace: string;
  workload: string;
  anomaly: Anomaly;
}

/** What a cycle found and what it cost. */
export interface CycleResult {
  anomalies: WorkloadAnomaly[];
  queries: number;
  series: number;
  points: number;
  gaps: string[];
}

/** Knobs of a cycle. */
export interface CycleOptions extends Omit<DetectOptions, "traffic" | "rollouts"> {
  queries?: Partial<Record<Signal, string>>;
  stepSeconds?: number;
  /** Rollouts per "namespace/workload": nothing pages during one. */
  rollouts?: ReadonlyMap<string, ReadonlyArray<{ start: number; end: number }>>;
}

const DAY = 86_400;
/** The recent window judged each cycle: enough for `sustain` points and a little slack. */
const RECENT_SECONDS = 30 * 60;
/** Traffic first: the ratio, latency and CPU signals of the same workload are judged against it. */
const ORDER: Signal[] = [
  "requestRate",
  ...(Object.keys(SIGNALS) as Signal[]).filter((s) => s !== "requestRate"),
];

const keyOf = (labels: Record<string, string>) => `${labels.namespace ?? ""}/${labels.workload ?? ""}`;

/** The times a range query over the recent window answers at: these are the points judged. */
function judgedTimes(now: number, step: number): number[] {
  const out: number[] = [];
  for (let t = now - RECENT_SECONDS; t <= now; t += step) out.push(t);
  return out;
}

/**
 * Earlier days split by whether some judged time sees them as the same kind of day. Days of the
 * other kind only matter when a series has too little same-kind history, so they are fetched
 * only then: on a weekend that skips 10 of 14 days, on a weekday 4.
 */
function splitDays(times: readonly number[]): { same: number[]; other: number[] } {
  const same: number[] = [];
  const other: number[] = [];
  for (let k = 1; k <= LOOKBACK_DAYS; k++) (times.some((t) => !otherKindDay(t, k)) ? same : other).push(k);
  return { same, other };
}

type BySeries = Map<string, Point[]>;

/** Range queries for the given windows, merged per (namespace, workload) into `into`. */
async function fetchWindows(
  prom: PrometheusClient,
  expr: string,
  windows: ReadonlyArray<readonly [number, number]>,
  step: number,
  into: BySeries,
): Promise<number> {
  const at = (s: number) => new Date(s * 1000);
  const answers = await Promise.all(windows.map(([s, e]) => prom.queryRange(expr, at(s), at(e), step)));
  for (const series of answers.flat() as Series[]) {
    const key = keyOf(series.labels);
    let points = into.get(key);
    if (!points) into.set(key, (points = []));
    for (const [t, v] of series.points) points.push({ t, v });
  }
  return windows.length;
}

const dayWindow = (now: number, k: number) =>
  [now - k * DAY - RECENT_SECONDS - HALF_WINDOW_SECONDS, now - k * DAY + HALF_WINDOW_SECONDS] as const;

/**
 * One signal's recent window and same-time history: the same-kind days, and the other days
 * only when some series' baseline would fall back to them, so every baseline equals the one
 * computed on the whole history.
 */
async function fetchSignal(prom: PrometheusClient, expr: string, now: number, step: number) {
  const times = judgedTimes(now, step);
  const { same, other } = splitDays(times);
  const bySeries: BySeries = new Map();
  let queries = await fetchWindows(
    prom,
    expr,
    [[now - RECENT_SECONDS, now], ...same.map((k) => dayWindow(now, k))],
    step,
    bySeries,
  );
  for (const points of bySeries.values()) points.sort((a, b) => a.t - b.t);
  const thin = [...bySeries.values()].some((points) => times.some((t) => needsOtherKindDays(points, t)));
  if (thin && other.length) {
    queries += await fetchWindows(
      prom,
      expr,
      other.map((k) => dayWindow(now, k)),
      step,
      bySeries,
    );
    for (const points of bySeries.values()) points.sort((a, b) => a.t - b.t);
  }
  return { bySeries, queries };
}

function judge(
  signal: Signal,
  key: string,
  points: Point[],
  at: { t: number; traffic: Point[] | undefined },
  opts: CycleOptions,
): WorkloadAnomaly[] {
  const { t, traffic } = at;
  const [namespace = "", workload = ""] = key.split("/");
  const rollouts = opts.rollouts?.get(key);
  const { queries: _q, rollouts: _r, stepSeconds: _s, ...detect } = opts;
  const found = detectAnomalies(signal, points, t - RECENT_SECONDS, {
    ...detect,
    ...(traffic ? { traffic } : {}),
    ...(rollouts ? { rollouts } : {}),
  });
  return found.map((anomaly) => ({ namespace, workload, anomaly }));
}

/** Runs one cycle at `now`; a signal whose queries fail is a gap, the others still run. */
export async function runAnomalyCycle(
  prom: PrometheusClient,
  now: Date,
  opts: CycleOptions = {},
): Promise<CycleResult> {
  const t = Math.floor(now.getTime() / 1000);
  const step = opts.stepSeconds ?? 300;
  const result: CycleResult = { anomalies: [], queries: 0, series: 0, points: 0, gaps: [] };
  // One signal at a time, judged and dropped before the next is fetched; only traffic stays.
  let traffic: BySeries | undefined;
  for (const signal of ORDER) {
    const expr = opts.queries?.[signal] ?? DEFAULT_SIGNAL_QUERIES[signal];
    let bySeries: BySeries;
    try {
      const fetched = await fetchSignal(prom, expr, t, step);
      result.queries += fetched.queries;
      bySeries = fetched.bySeries;
    } catch (err) {
      result.gaps.push(`${SIGNALS[signal].label}: ${(err as Error).message}`);
      continue;
    }
    if (signal === "requestRate") traffic = bySeries;
    for (const [key, points] of bySeries) {
      result.series++;
      result.points += points.length;
      result.anomalies.push(...judge(signal, key, points, { t, traffic: traffic?.get(key) }, opts));
    }
  }
  return result;
}
