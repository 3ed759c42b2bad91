/**
 * The I/O edge of the metric analyzers: runs the PromQL of queries.ts against Prometheus
 * and returns plain MetricEvidence. A query Prometheus cannot answer (down, timeout, bad
 * PromQL, unknown function) becomes an evidence gap; the diagnosis goes on without it.
 */
import type { Category } from "../types.ts";
import { METRIC_CATEGORIES } from "../types.ts";
import {
  LATENCY_HISTOGRAMS,
  latencyQuery,
  memoryQuery,
  REQUEST_COUNTERS,
  requestQueries,
  throttlingQuery,
  volumeQueries,
} from "./queries.ts";
import type { Thresholds } from "./thresholds.ts";
import { THRESHOLDS } from "./thresholds.ts";
import type { MetricEvidence, PodRequests } from "./types.ts";

type Labels = Record<string, string>;

/** What collect needs of a Prometheus client (tools/prometheus PrometheusClient has it). */
export interface MetricSource {
  query(expr: string, at?: Date): Promise<Array<{ labels: Labels; value: number }>>;
  queryRange(
    expr: string,
    start: Date,
    end: Date,
    stepSeconds: number,
  ): Promise<Array<{ labels: Labels; points: Array<[number, number]> }>>;
}

/** Where and when to look. */
export interface MetricScope {
  /** Only this namespace; every namespace when absent. */
  namespace?: string;
  /** Evaluation time, unix ms (defaults to now). */
  at?: number;
  thresholds?: Partial<Thresholds>;
}

class Gaps {
  private readonly byMessage = new Map<string, Set<Category>>();

  /** Runs a query; on failure records the gap and answers `fallback`. */
  async guard<T>(category: Category, fallback: T, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const cats = this.byMessage.get(message) ?? new Set();
      this.byMessage.set(message, cats.add(category));
      return fallback;
    }
  }

  /** One line per distinct failure, naming the categories it left unchecked. */
  lines(): string[] {
    return [...this.byMessage].map(([m, cats]) => {
      const named = METRIC_CATEGORIES.filter((c) => cats.has(c));
      return `${named.join(", ")} not checked: ${m}`;
    });
  }
}

const finite = (v: number) => Number.isFinite(v);

async function requests(src: MetricSource, ns: string | undefined, t: Thresholds, at: Date, gaps: Gaps) {
  const perCounter = await Promise.all(
    REQUEST_COUNTERS.map((c) =>
      gaps.guard("HighErrorRate", [] as PodRequests[], async () => {
        const q = requestQueries(c, ns, t);
        const [total, errors] = await Promise.all([src.query(q.total, at), src.query(q.errors, at)]);
        const err = new Map(errors.map((s) => [`${s.labels.namespace}/${s.labels.pod}`, s.value]));
        return total
          .filter((s) => s.labels.pod && finite(s.value))
          .map((s) => ({
            namespace: s.labels.namespace ?? "",
            pod: s.labels.pod!,
            totalPerSecond: s.value,
            errorsPerSecond: err.get(`${s.labels.namespace}/${s.labels.pod}`) ?? 0,
            metric: c.metric,
          }));
      }),
    ),
  );
  const busiest = new Map<string, PodRequests>();
  for (const r of perCounter.flat()) {
    const k = `${r.namespace}/${r.pod}`;
    if ((busiest.get(k)?.totalPerSecond ?? -1) < r.totalPerSecond) busiest.set(k, r);
  }
  return [...busiest.values()];
}

async function latency(src: MetricSource, ns: string | undefined, t: Thresholds, at: Date, gaps: Gaps) {
  const per = await Promise.all(
    LATENCY_HISTOGRAMS.map((h) =>
      gaps.guard("HighLatency", [] as MetricEvidence["latencyP99"], async () =>
        (await src.query(latencyQuery(h, ns, t), at))
          .filter((s) => s.labels.pod && finite(s.value))
          .map((s) => ({
            namespace: s.labels.namespace ?? "",
            pod: s.labels.pod!,
            value: s.value,
            metric: h,
          })),
      ),
    ),
  );
  return per.flat();
}

/** Fetches every metric the analyzers read, in parallel; never throws for Prometheus faults. */
export async function collectMetrics(src: MetricSource, scope: MetricScope = {}): Promise<MetricEvidence> {
  const t: Thresholds = { ...THRESHOLDS, ...scope.thresholds };
  const atMs = scope.at ?? Date.now();
  const at = new Date(atMs);
  const ns = scope.namespace;
  const gaps = new Gaps();
  const since = (seconds: number) => new Date(atMs - seconds * 1000);
  const vol = volumeQueries(ns);
  const [reqs, lat, throttling, memory, used, capacity] = await Promise.all([
    requests(src, ns, t, at, gaps),
    latency(src, ns, t, at, gaps),
    gaps.guard("CPUThrottling", [] as MetricEvidence["throttling"], async () =>
      (await src.query(throttlingQuery(ns, t), at))
        .filter((s) => s.labels.pod && s.labels.container && finite(s.value))
        .map((s) => ({
          namespace: s.labels.namespace ?? "",
          pod: s.labels.pod!,
          container: s.labels.container!,
          value: s.value,
        })),
    ),
    gaps.guard("MemoryLeak", [] as MetricEvidence["memory"], async () =>
      (await src.queryRange(memoryQuery(ns), since(t.memoryWindowSeconds), at, t.memoryStepSeconds))
        .filter((s) => s.labels.pod && s.labels.container)
        .map((s) => ({
          namespace: s.labels.namespace ?? "",
          pod: s.labels.pod!,
          container: s.labels.container!,
          points: s.points,
        })),
    ),
    gaps.guard("DiskFillForecast", [] as Array<{ labels: Labels; points: Array<[number, number]> }>, () =>
      src.queryRange(vol.used, since(t.diskWindowSeconds), at, t.diskStepSeconds),
    ),
    gaps.guard("DiskFillForecast", [] as Array<{ labels: Labels; value: number }>, () =>
      src.query(vol.capacity, at),
    ),
  ]);
  const cap = new Map(
    capacity.map((s) => [`${s.labels.namespace}/${s.labels.persistentvolumeclaim}`, s.value]),
  );
  const volumes = used.flatMap((s) => {
    const key = `${s.labels.namespace}/${s.labels.persistentvolumeclaim}`;
    const capacityBytes = cap.get(key);
    if (!s.labels.persistentvolumeclaim || !capacityBytes) return [];
    return [
      {
        namespace: s.labels.namespace ?? "",
        claim: s.labels.persistentvolumeclaim,
        capacityBytes,
        points: s.points,
      },
    ];
  });
  return { at: atMs, requests: reqs, latencyP99: lat, throttling, memory, volumes, gaps: gaps.lines() };
}
