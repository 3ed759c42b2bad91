/**
 * The PromQL the metric analyzers run, scoped to a namespace. Metric names follow the
 * conventions a cluster exposes without extra work: cAdvisor and kubelet (through the
 * kubelet's /metrics/cadvisor and volume stats) and the common HTTP server instrumentations
 * (Prometheus client libraries, Spring Micrometer, OpenTelemetry).
 */
import type { Category } from "../types.ts";
import type { Thresholds } from "./thresholds.ts";

/** A request counter and the label holding the HTTP status code. */
export interface RequestCounter {
  metric: string;
  statusLabel: string;
}

/** Request counters tried in turn; a pod is judged on the busiest one it exposes. */
export const REQUEST_COUNTERS: readonly RequestCounter[] = [
  { metric: "http_requests_total", statusLabel: "code" },
  { metric: "http_server_requests_seconds_count", statusLabel: "status" },
  { metric: "http_server_request_duration_seconds_count", statusLabel: "http_response_status_code" },
];

/** Latency histograms tried in turn (the `_bucket` series of each). */
export const LATENCY_HISTOGRAMS: readonly string[] = [
  "http_request_duration_seconds",
  "http_server_requests_seconds",
  "http_server_request_duration_seconds",
];

/** One query with the category it serves (named in evidence gaps). */
export interface NamedQuery {
  category: Category;
  expr: string;
}

function quote(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** The label matchers of the scope, inside braces, with extra matchers appended. */
export function matchers(namespace: string | undefined, ...extra: string[]): string {
  const scope = namespace ? `namespace=${quote(namespace)}` : `namespace!=""`;
  return `{${[scope, ...extra].join(",")}}`;
}

/** Per-pod request and 5xx rates of one counter. */
export function requestQueries(c: RequestCounter, ns: string | undefined, t: Thresholds) {
  const by = "sum by (namespace, pod)";
  return {
    total: `${by} (rate(${c.metric}${matchers(ns)}[${t.rateWindow}]))`,
    errors: `${by} (rate(${c.metric}${matchers(ns, `${c.statusLabel}=~"5.."`)}[${t.rateWindow}]))`,
  };
}

/** Per-pod p99 latency of one histogram. */
export function latencyQuery(histogram: string, ns: string | undefined, t: Thresholds): string {
  return `histogram_quantile(0.99, sum by (namespace, pod, le) (rate(${histogram}_bucket${matchers(ns)}[${t.rateWindow}])))`;
}

const CONTAINERS = ['container!=""', 'container!="POD"'];

/** Per-container share of CFS periods that were throttled. */
export function throttlingQuery(ns: string | undefined, t: Thresholds): string {
  const by = "sum by (namespace, pod, container)";
  const sel = matchers(ns, ...CONTAINERS);
  return `${by} (increase(container_cpu_cfs_throttled_periods_total${sel}[${t.rateWindow}])) / ${by} (increase(container_cpu_cfs_periods_total${sel}[${t.rateWindow}]))`;
}

/** Per-container memory working set (a range query). */
export function memoryQuery(ns: string | undefined): string {
  return `max by (namespace, pod, container) (container_memory_working_set_bytes${matchers(ns, ...CONTAINERS)})`;
}

/** Per-claim used bytes (a range query) and capacity (instant). */
export function volumeQueries(ns: string | undefined) {
  const by = "max by (namespace, persistentvolumeclaim)";
  return {
    used: `${by} (kubelet_volume_stats_used_bytes${matchers(ns)})`,
    capacity: `${by} (kubelet_volume_stats_capacity_bytes${matchers(ns)})`,
  };
}
