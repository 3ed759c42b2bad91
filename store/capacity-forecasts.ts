/**
 * The capacity forecasts table (migration 009, docs/capacity.md): each cycle of the capacity
 * loop inserts its report; the console and Grafana read the latest row per key and the history
 * of one key; rows older than the retention are deleted.
 */
import type { Queryable } from "./database.ts";
import { StoreInputError, requiredTs } from "./sql.ts";
import type { Timestamp } from "./types.ts";

/** One forecast as the report gives it (agents/capacity/collect.ts CapacityItem, structurally). */
export interface CapacityForecastItem {
  scope: string;
  key: string;
  resource: string;
  measure: string;
  forecast?: {
    capacity: number;
    lastPeak: number;
    utilization: number;
    slopePerDay: number;
    daysToExhaustion: number | null;
    band: { earliest: number | null; latest: number | null };
    seasonality: string;
  };
}

/** A report to store: when, over how many days, by which AgentConfig (namespace/name). */
export interface CapacityForecastReport {
  generatedAt: Timestamp;
  historyDays: number;
  agentConfig?: string;
  items: readonly CapacityForecastItem[];
}

/** One stored row. */
export interface CapacityForecastRow {
  generatedAt: string;
  agentConfig: string;
  scope: string;
  key: string;
  resource: string;
  measure: string;
  used: number;
  capacity: number;
  utilization: number;
  slopePerDay: number;
  daysToExhaustion: number | null;
  bandLow: number | null;
  bandHigh: number | null;
  method: string;
  historyDays: number;
}

const COLUMNS = `generated_at, agent_config, scope, key, resource, measure, used, capacity, utilization,
  slope_per_day, days_to_exhaustion, band_low, band_high, method, history_days`;
const SELECT = `SELECT to_char(generated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "generatedAt",
  agent_config AS "agentConfig", scope, key, resource, measure, used, capacity, utilization,
  slope_per_day AS "slopePerDay", days_to_exhaustion AS "daysToExhaustion", band_low AS "bandLow",
  band_high AS "bandHigh", method, history_days AS "historyDays" FROM capacity_forecasts`;
const PER_ROW = 15;

/** The method column: the trend, plus the weekly profile when it explained the peaks. */
export const methodOf = (seasonality: string): string =>
  seasonality === "weekly" ? "theil-sen+weekly" : "theil-sen";

/** Inserts every forecast of a report (items without one are skipped); returns the rows written. */
export async function insertCapacityReport(db: Queryable, report: CapacityForecastReport): Promise<number> {
  const at = requiredTs(report.generatedAt, "generatedAt");
  if (!Number.isInteger(report.historyDays) || report.historyDays < 1)
    throw new StoreInputError("historyDays must be a positive whole number of days");
  const rows = report.items.filter((i) => i.forecast && Number.isFinite(i.forecast.utilization));
  let written = 0;
  // Batches keep one statement's parameters well under PostgreSQL's 65,535.
  for (let start = 0; start < rows.length; start += 500) {
    const batch = rows.slice(start, start + 500);
    const params: unknown[] = [];
    const values = batch.map((item, n) => {
      const f = item.forecast!;
      params.push(
        at,
        report.agentConfig ?? "",
        item.scope,
        item.key,
        item.resource,
        item.measure,
        f.lastPeak,
        f.capacity,
        f.utilization,
        f.slopePerDay,
        f.daysToExhaustion,
        f.band.earliest,
        f.band.latest,
        methodOf(f.seasonality),
        report.historyDays,
      );
      const p = (k: number) => `$${n * PER_ROW + k}`;
      return `(${p(1)}::timestamptz, ${[2, 3, 4, 5, 6].map(p).join(", ")}, ${[7, 8, 9, 10, 11, 12, 13]
        .map((k) => `${p(k)}::double precision`)
        .join(", ")}, ${p(14)}, ${p(15)}::int)`;
    });
    // A retried cycle writes the same generated_at again: the row is replaced, never doubled.
    const out = await db.query(
      `INSERT INTO capacity_forecasts (${COLUMNS}) VALUES ${values.join(", ")}
       ON CONFLICT (scope, key, resource, measure, generated_at) DO UPDATE SET
         agent_config = EXCLUDED.agent_config, used = EXCLUDED.used, capacity = EXCLUDED.capacity,
         utilization = EXCLUDED.utilization, slope_per_day = EXCLUDED.slope_per_day,
         days_to_exhaustion = EXCLUDED.days_to_exhaustion, band_low = EXCLUDED.band_low,
         band_high = EXCLUDED.band_high, method = EXCLUDED.method, history_days = EXCLUDED.history_days
       RETURNING 1 AS one`,
      params,
    );
    written += out.length;
  }
  return written;
}

/** Filters of the latest-per-key read. */
export interface LatestFilter {
  scope?: string;
  /** Only keys of these namespaces (namespace and volume scopes key "namespace/..."). */
  namespaces?: readonly string[];
  /** Only what runs out within this many days. */
  horizonDays?: number;
}

/** The latest forecast of every (scope, key, resource, measure), soonest exhaustion first. */
export async function latestCapacityForecasts(
  db: Queryable,
  filter: LatestFilter = {},
): Promise<CapacityForecastRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.scope) where.push(`scope = $${params.push(filter.scope)}`);
  if (filter.namespaces)
    where.push(`split_part(key, '/', 1) = ANY($${params.push([...filter.namespaces])}::text[])`);
  if (filter.horizonDays !== undefined)
    where.push(`"daysToExhaustion" <= $${params.push(filter.horizonDays)}::double precision`);
  const rows = await db.query<CapacityForecastRow>(
    `SELECT * FROM (SELECT DISTINCT ON (scope, key, resource, measure) * FROM (${SELECT}) f
       ORDER BY scope, key, resource, measure, "generatedAt" DESC) latest
     ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY "daysToExhaustion" ASC NULLS LAST, utilization DESC, key`,
    params,
  );
  return rows.map(numeric);
}

/** Which key's history, and since when. */
export interface HistoryQuery {
  scope: string;
  key: string;
  resource: string;
  measure?: string;
  since?: Timestamp;
  limit?: number;
}

/** The forecasts of one key over time, oldest first. */
export async function capacityForecastHistory(
  db: Queryable,
  q: HistoryQuery,
): Promise<CapacityForecastRow[]> {
  const params: unknown[] = [q.scope, q.key, q.resource];
  const where = [`scope = $1`, `key = $2`, `resource = $3`];
  if (q.measure) where.push(`measure = $${params.push(q.measure)}`);
  if (q.since !== undefined)
    where.push(`generated_at >= $${params.push(requiredTs(q.since, "since"))}::timestamptz`);
  const limit = Math.min(Math.max(1, q.limit ?? 1000), 10_000);
  const rows = await db.query<CapacityForecastRow>(
    `SELECT * FROM (${SELECT} WHERE ${where.join(" AND ")} ORDER BY generated_at DESC LIMIT ${limit}) h
     ORDER BY "generatedAt" ASC`,
    params,
  );
  return rows.map(numeric);
}

/** Deletes forecasts generated more than `days` days before `now`; returns how many. */
export async function pruneCapacityForecasts(db: Queryable, days: number, now: Timestamp = new Date()) {
  if (!(days > 0)) throw new StoreInputError("retention days must be positive");
  const cutoff = new Date(Date.parse(requiredTs(now, "now")) - days * 86_400_000).toISOString();
  const rows = await db.query(
    `DELETE FROM capacity_forecasts WHERE generated_at < $1::timestamptz RETURNING 1 AS one`,
    [cutoff],
  );
  return rows.length;
}

// pg returns double precision as numbers already; PGlite too, but integer history_days may come as string.
const numeric = (r: CapacityForecastRow): CapacityForecastRow => ({
  ...r,
  historyDays: Number(r.historyDays),
});
