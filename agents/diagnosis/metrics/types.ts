/**
 * What the metric analyzers read: Prometheus answers fetched before the pure engine
 * runs (collect.ts), as plain data, plus the queries that could not be answered.
 */

/** A value of one pod (request ratios, latency quantiles). */
export interface PodSample {
  namespace: string;
  pod: string;
  value: number;
}

/** Requests of one pod over the rate window: all of them and the 5xx ones, per second. */
export interface PodRequests {
  namespace: string;
  pod: string;
  totalPerSecond: number;
  errorsPerSecond: number;
  /** The counter the numbers came from (http_requests_total, ...), for evidence. */
  metric: string;
}

/** A value of one container (throttled share of CFS periods). */
export interface ContainerSample extends PodSample {
  container: string;
}

/** Points of one container's memory working set: [unix seconds, bytes]. */
export interface ContainerSeries {
  namespace: string;
  pod: string;
  container: string;
  points: Array<[number, number]>;
}

/** Points of one PersistentVolumeClaim's used bytes, with its capacity. */
export interface VolumeSeries {
  namespace: string;
  claim: string;
  capacityBytes: number;
  points: Array<[number, number]>;
}

/** Everything the metric analyzers need, fetched at `at` (unix ms). */
export interface MetricEvidence {
  at: number;
  requests: PodRequests[];
  latencyP99: Array<PodSample & { metric: string }>;
  throttling: ContainerSample[];
  memory: ContainerSeries[];
  volumes: VolumeSeries[];
  /** One line per query Prometheus could not answer (an evidence gap, not a failure). */
  gaps: string[];
}

/** No metrics at all: what the engine sees without Prometheus. */
export function noMetrics(at: number): MetricEvidence {
  return { at, requests: [], latencyP99: [], throttling: [], memory: [], volumes: [], gaps: [] };
}
