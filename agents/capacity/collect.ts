/**
 * Capacity forecasts from Prometheus (or VictoriaMetrics, whose query API is the same): range
 * queries of what is used and what there is, then a forecast per key. A query that fails is
 * an evidence gap, never the end of the report.
 */
import type { PrometheusClient } from "../../tools/prometheus/client.ts";
import type { Forecast } from "./forecast.ts";
import { forecastExhaustion, isForecast } from "./forecast.ts";
import type { CapacityQuery, CapacityScope } from "./queries.ts";
import { capacityQueries, keyOf, namespaceQueries } from "./queries.ts";

/** One forecast line of the report. */
export interface CapacityItem {
  scope: CapacityScope;
  /** node, pool, namespace/resource or namespace/pvc. */
  key: string;
  resource: string;
  measure: "requests" | "usage";
  forecast?: Forecast;
  /** Why there is no forecast (short history, no capacity). */
  insufficient?: string;
}

/** Every forecast, soonest exhaustion first, and the queries that failed. */
export interface CapacityReport {
  generatedAt: string;
  historyDays: number;
  items: CapacityItem[];
  gaps: string[];
}

/** What to read: how many days back, at which step, with which node-pool labels. */
export interface CollectOptions {
  historyDays?: number;
  stepSeconds?: number;
  poolLabels?: string[];
  /** Only this namespace's quota and volumes (a tenant's AgentConfig); nodes and pools are not read. */
  namespace?: string;
  now?: Date;
}

const DAY = 86_400;

async function collectOne(prom: PrometheusClient, q: CapacityQuery, start: Date, end: Date, step: number) {
  const [used, capacity] = await Promise.all([
    prom.queryRange(q.used, start, end, step),
    prom.queryRange(q.capacity, start, end, step),
  ]);
  // The latest capacity in the window: an instant query at `end` misses series whose last
  // sample is older than the lookback (a scrape gap, backfilled history).
  const caps = new Map(capacity.map((s) => [keyOf(q, s.labels), s.points.at(-1)?.[1] ?? 0]));
  return used.map((series): CapacityItem => {
    const key = keyOf(q, series.labels);
    const base = {
      scope: q.scope,
      key,
      resource: q.scope === "namespace" ? (series.labels.resource ?? q.resource) : q.resource,
      measure: q.measure,
    };
    const f = forecastExhaustion({
      samples: series.points.map(([t, v]) => ({ t, v })),
      capacity: caps.get(key) ?? 0,
      now: end.getTime() / 1000,
    });
    return isForecast(f) ? { ...base, forecast: f } : { ...base, insufficient: f.insufficient };
  });
}

const soonest = (a: CapacityItem, b: CapacityItem) =>
  (a.forecast?.daysToExhaustion ?? Infinity) - (b.forecast?.daysToExhaustion ?? Infinity) ||
  (b.forecast?.utilization ?? 0) - (a.forecast?.utilization ?? 0) ||
  a.key.localeCompare(b.key);

/** Reads the history and forecasts every capacity Prometheus knows about. */
export async function collectCapacity(
  prom: PrometheusClient,
  opts: CollectOptions = {},
): Promise<CapacityReport> {
  const historyDays = opts.historyDays ?? 14;
  const end = opts.now ?? new Date();
  const start = new Date(end.getTime() - historyDays * DAY * 1000);
  const step = opts.stepSeconds ?? 3600;
  const items: CapacityItem[] = [];
  const gaps: string[] = [];
  const queries = opts.namespace ? namespaceQueries(opts.namespace) : capacityQueries(opts.poolLabels);
  for (const q of queries) {
    try {
      items.push(...(await collectOne(prom, q, start, end, step)));
    } catch (err) {
      gaps.push(`${q.scope} ${q.resource} ${q.measure}: ${(err as Error).message}`);
    }
  }
  return { generatedAt: end.toISOString(), historyDays, items: items.sort(soonest), gaps };
}
