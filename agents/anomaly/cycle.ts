/**
 * One evaluation cycle of anomaly detection over every workload Prometheus (or
 * VictoriaMetrics) knows: per signal, one range query for the last half hour and one small
 * range query per earlier day around the same time of day, so the number of queries does not
 * grow with the number of workloads and each series brings about 200 points, not 14 days.
 */
import type { PrometheusClient, Series } from "../../tools/prometheus/client.ts";
import type { Point } from "./baseline.ts";
import { HALF_WINDOW_SECONDS, LOOKBACK_DAYS } from "./baseline.ts";
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

const keyOf = (labels: Record<string, string>) => `${labels.namespace ?? ""}/${labels.workload ?? ""}`;

async function fetchSignal(prom: PrometheusClient, expr: string, now: number, step: number) {
  const at = (s: number) => new Date(s * 1000);
  const windows = [[now - RECENT_SECONDS, now]];
  for (let k = 1; k <= LOOKBACK_DAYS; k++)
    windows.push([now - k * DAY - RECENT_SECONDS - HALF_WINDOW_SECONDS, now - k * DAY + HALF_WINDOW_SECONDS]);
  const answers = await Promise.all(windows.map(([s, e]) => prom.queryRange(expr, at(s!), at(e!), step)));
  const bySeries = new Map<string, Point[]>();
  for (const series of answers.flat() as Series[]) {
    const key = keyOf(series.labels);
    const points = bySeries.get(key) ?? [];
    for (const [t, v] of series.points) points.push({ t, v });
    bySeries.set(key, points);
  }
  for (const points of bySeries.values()) points.sort((a, b) => a.t - b.t);
  return { bySeries, queries: windows.length };
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
  const data = new Map<Signal, Map<string, Point[]>>();
  for (const signal of Object.keys(SIGNALS) as Signal[]) {
    const expr = opts.queries?.[signal] ?? DEFAULT_SIGNAL_QUERIES[signal];
    try {
      const { bySeries, queries } = await fetchSignal(prom, expr, t, step);
      result.queries += queries;
      data.set(signal, bySeries);
    } catch (err) {
      result.gaps.push(`${SIGNALS[signal].label}: ${(err as Error).message}`);
    }
  }
  const traffic = data.get("requestRate");
  for (const [signal, bySeries] of data)
    for (const [key, points] of bySeries) {
      result.series++;
      result.points += points.length;
      result.anomalies.push(...judge(signal, key, points, { t, traffic: traffic?.get(key) }, opts));
    }
  return result;
}
