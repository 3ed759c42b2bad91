/**
 * The web console's reads of the incident store: overview aggregates, the incident list with
 * filters, full-text search and numbered pages, and the incidents a runbook's symptoms match.
 * Every query is limited to the task namespaces the signed-in user may read (the caller decides
 * which, by SubjectAccessReview), so nothing outside them is counted or listed.
 */
import type { Queryable } from "./database.ts";
import { StoreInputError, ts } from "./sql.ts";

/** One row of the console's incident list. */
export interface ConsoleIncident {
  id: string;
  /** The namespace of the incident's SreTask (what access follows). */
  namespace: string;
  task: string;
  alertname: string | null;
  severity: string | null;
  category: string | null;
  status: string;
  summary: string | null;
  openedAt: Date;
  resolvedAt: Date | null;
}

/** Filters of the console's incident list; namespaces is the readable set and always applies. */
export interface ConsoleIncidentQuery {
  namespaces: readonly string[];
  namespace?: string;
  severity?: string;
  category?: string;
  /** open: anything not resolved yet. */
  status?: "open" | "resolved";
  since?: string;
  until?: string;
  /** Substring search (case-insensitive, any script, Chinese included) over the text columns. */
  q?: string;
  page?: number;
  pageSize?: number;
}

/** One numbered page. */
export interface ConsoleIncidentPage {
  items: ConsoleIncident[];
  total: number;
  page: number;
  pageSize: number;
}

/** The overview's aggregates over a window of days. */
export interface ConsoleOverview {
  incidentsBySeverity: { critical: number; warning: number; info: number };
  openIncidents: number;
  mttdSeconds: number | null;
  mttrSeconds: number | null;
  topCategories: { category: string; count: number }[];
}

const LIST_COLUMNS = `id::text AS "id", task_namespace AS "namespace", task_name AS "task",
  alertname AS "alertname", severity AS "severity", category AS "category", status AS "status",
  summary AS "summary", opened_at AS "openedAt", resolved_at AS "resolvedAt"`;

/** The text q searches: what a person remembers of an incident. */
const SEARCHED = ["summary", "alertname", "root_cause", "category", "task_name", "namespace"];

/** q as an ILIKE pattern matching it literally anywhere. */
export const likePattern = (q: string): string => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Builds WHERE conditions with numbered parameters ("?" marks each, in order). */
class Where {
  readonly conditions: string[] = [];
  readonly params: unknown[] = [];

  add(sql: string, ...values: unknown[]): void {
    let n = this.params.length;
    this.params.push(...values);
    this.conditions.push(sql.replace(/\?/g, () => `$${++n}`));
  }

  get sql(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(" AND ")}` : "";
  }
}

function listWhere(query: ConsoleIncidentQuery): Where {
  const where = new Where();
  where.add("task_namespace = ANY(?::text[])", [...query.namespaces]);
  if (query.namespace !== undefined) where.add("task_namespace = ?", query.namespace);
  if (query.severity !== undefined) where.add("severity = ?", query.severity);
  if (query.category !== undefined) where.add("category = ?", query.category);
  if (query.status === "open") where.add("status <> 'resolved'");
  if (query.status === "resolved") where.add("status = 'resolved'");
  if (query.since !== undefined) where.add("opened_at >= ?::timestamptz", ts(query.since, "since"));
  if (query.until !== undefined) where.add("opened_at < ?::timestamptz", ts(query.until, "until"));
  const q = query.q?.trim();
  if (q) {
    const pattern = likePattern(q);
    where.add(`(${SEARCHED.map((c) => `${c} ILIKE ?`).join(" OR ")})`, ...SEARCHED.map(() => pattern));
  }
  return where;
}

function pageOf(query: ConsoleIncidentQuery): { page: number; pageSize: number } {
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 20;
  if (!Number.isInteger(page) || page < 1 || page > 100_000)
    throw new StoreInputError("page must be an integer from 1 to 100000");
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 200)
    throw new StoreInputError("pageSize must be an integer from 1 to 200");
  return { page, pageSize };
}

/** Incidents newest first in the readable namespaces, filtered, one numbered page, with the total. */
export async function listConsoleIncidents(
  db: Queryable,
  query: ConsoleIncidentQuery,
): Promise<ConsoleIncidentPage> {
  const { page, pageSize } = pageOf(query);
  if (query.namespaces.length === 0) return { items: [], total: 0, page, pageSize };
  const where = listWhere(query);
  const n = where.params.length;
  // The total rides along with the page (one scan); an empty page past the end counts alone.
  const rows = await db.query<ConsoleIncident & { total: string }>(
    `SELECT ${LIST_COLUMNS}, count(*) OVER ()::text AS "total" FROM incidents ${where.sql}
     ORDER BY opened_at DESC, id DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...where.params, pageSize, (page - 1) * pageSize],
  );
  let total = rows[0] ? Number(rows[0].total) : 0;
  if (!rows[0] && page > 1) {
    const [count] = await db.query<{ n: string }>(
      `SELECT count(*)::text AS "n" FROM incidents ${where.sql}`,
      where.params,
    );
    total = Number(count?.n ?? 0);
  }
  const items = rows.map(({ total: _t, ...item }) => item);
  return { items, total, page, pageSize };
}

/** Aggregates for the overview: incidents opened in the last `days` days, in the readable namespaces. */
export async function consoleOverview(
  db: Queryable,
  namespaces: readonly string[],
  days: number,
  now: Date = new Date(),
): Promise<ConsoleOverview> {
  if (!Number.isInteger(days) || days < 1 || days > 366)
    throw new StoreInputError("days must be an integer from 1 to 366");
  const since = new Date(now.getTime() - days * 86_400_000).toISOString();
  const params = [[...namespaces], since];
  const [totals] = await db.query<Record<string, string | null>>(
    `SELECT
       count(*) FILTER (WHERE opened_at >= $2 AND severity = 'critical')::text AS "critical",
       count(*) FILTER (WHERE opened_at >= $2 AND severity = 'warning')::text AS "warning",
       count(*) FILTER (WHERE opened_at >= $2 AND (severity IS NULL OR severity NOT IN ('critical', 'warning')))::text AS "info",
       count(*) FILTER (WHERE status <> 'resolved')::text AS "open",
       avg(EXTRACT(EPOCH FROM diagnosed_at - opened_at)) FILTER (WHERE opened_at >= $2 AND diagnosed_at >= opened_at)::text AS "mttd",
       avg(EXTRACT(EPOCH FROM resolved_at - opened_at)) FILTER (WHERE opened_at >= $2 AND resolved_at >= opened_at)::text AS "mttr"
     FROM incidents WHERE task_namespace = ANY($1::text[])`,
    params,
  );
  const categories = await db.query<{ category: string; count: string }>(
    `SELECT category AS "category", count(*)::text AS "count" FROM incidents
     WHERE task_namespace = ANY($1::text[]) AND opened_at >= $2 AND category IS NOT NULL
     GROUP BY category ORDER BY count(*) DESC, category LIMIT 10`,
    params,
  );
  const num = (v: string | null | undefined): number => Number(v ?? 0);
  const seconds = (v: string | null | undefined): number | null =>
    v === null || v === undefined ? null : Math.round(Number(v));
  return {
    incidentsBySeverity: {
      critical: num(totals?.critical),
      warning: num(totals?.warning),
      info: num(totals?.info),
    },
    openIncidents: num(totals?.open),
    mttdSeconds: seconds(totals?.mttd),
    mttrSeconds: seconds(totals?.mttr),
    topCategories: categories.map((c) => ({ category: c.category, count: Number(c.count) })),
  };
}

/** Ids of the newest incidents (readable namespaces) whose alertname or category a runbook matches. */
export async function runbookIncidents(
  db: Queryable,
  match: { namespaces: readonly string[]; alertnames?: readonly string[]; categories?: readonly string[] },
  limit = 20,
): Promise<string[]> {
  const alertnames = [...(match.alertnames ?? [])];
  const categories = [...(match.categories ?? [])];
  if (match.namespaces.length === 0 || (alertnames.length === 0 && categories.length === 0)) return [];
  const rows = await db.query<{ id: string }>(
    `SELECT id::text AS "id" FROM incidents
     WHERE task_namespace = ANY($1::text[]) AND (alertname = ANY($2::text[]) OR category = ANY($3::text[]))
     ORDER BY opened_at DESC, id DESC LIMIT $4`,
    [[...match.namespaces], alertnames, categories, limit],
  );
  return rows.map((r) => r.id);
}
