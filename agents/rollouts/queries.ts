/**
 * The PromQL of one revision's golden signals, by the conventions of the anomaly loop
 * (agents/anomaly/cycle.ts DEFAULT_SIGNAL_QUERIES): http_requests_total{code},
 * http_request_duration_seconds_bucket, cAdvisor CPU and working set, kube-state-metrics
 * restarts; the revision's pods selected by a pod regex, over the window ending at `at`.
 */
import type { Sample } from "../../tools/prometheus/client.ts";
import type { GoldenSignals } from "./types.ts";

/** An instant query at a time (PrometheusClient.query, or a stand-in in unit tests). */
export type InstantQuery = (expr: string, at: Date) => Promise<Sample[]>;

/** A PromQL double-quoted string literal's body: backslashes and quotes escaped. */
export function promString(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
}

/** The PromQL of each signal for the pods of one revision over `rangeSeconds`. */
export function signalQueries(
  namespace: string,
  podRegex: string,
  rangeSeconds: number,
): Record<keyof GoldenSignals, string> {
  const sel = (extra = "") => `{namespace="${promString(namespace)}",pod=~"${promString(podRegex)}"${extra}}`;
  const r = `[${Math.max(1, Math.round(rangeSeconds))}s]`;
  const requests = `sum(rate(http_requests_total${sel()}${r}))`;
  return {
    requestRate: requests,
    errorRatio: `sum(rate(http_requests_total${sel(',code=~"5.."')}${r})) / ${requests}`,
    latencyP99: `histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket${sel()}${r})))`,
    restarts: `sum(increase(kube_pod_container_status_restarts_total${sel()}${r}))`,
    cpu: `avg(sum by (pod) (rate(container_cpu_usage_seconds_total${sel(',container!=""')}${r})))`,
    memory: `avg(sum by (pod) (avg_over_time(container_memory_working_set_bytes${sel(',container!=""')}${r})))`,
  };
}

/** One revision's signals at `at`; a failed query is a gap ("p99 of revision 7: timeout"), never a throw. */
export async function collectSignals(
  query: InstantQuery,
  queries: Record<keyof GoldenSignals, string>,
  at: Date,
  what: string,
): Promise<{ signals: GoldenSignals; gaps: string[] }> {
  const signals: GoldenSignals = {};
  const gaps: string[] = [];
  await Promise.all(
    (Object.keys(queries) as (keyof GoldenSignals)[]).map(async (signal) => {
      try {
        const value = (await query(queries[signal], at))[0]?.value;
        if (value !== undefined && Number.isFinite(value)) signals[signal] = value;
      } catch (err) {
        gaps.push(`${signal} of ${what}: ${(err as Error).message}`);
      }
    }),
  );
  return { signals, gaps: gaps.sort() };
}
