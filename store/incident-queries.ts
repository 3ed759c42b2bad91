import { actionColumns, diagnosisColumns, incidentColumns } from "./columns.ts";
import type { Queryable } from "./database.ts";
import { StoreInputError, ts } from "./sql.ts";
import type {
  Diagnosis,
  Incident,
  IncidentDetail,
  IncidentFilter,
  IncidentPage,
  IncidentRef,
  RemediationAction,
  TimelineEntry,
} from "./types.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function whereRef(ref: IncidentRef): { sql: string; key: string } {
  if ("id" in ref) {
    // A malformed id would be a SQL error (22P02); it is simply not found.
    return {
      sql: "i.id = $1::uuid",
      key: UUID.test(ref.id) ? ref.id : "00000000-0000-0000-0000-000000000000",
    };
  }
  if ("taskUid" in ref)
    return { sql: "i.id = (SELECT incident_id FROM incident_tasks WHERE task_uid = $1)", key: ref.taskUid };
  // The open incident of a fingerprint, else its latest.
  return {
    sql: "i.fingerprint = $1 ORDER BY (i.status <> 'resolved') DESC, i.opened_at DESC",
    key: ref.fingerprint,
  };
}

const ENTRY_ORDER: Record<TimelineEntry["kind"], number> = {
  opened: 0,
  diagnosis: 1,
  action: 2,
  resolved: 3,
};

function timeline(incident: Incident, diagnoses: Diagnosis[], actions: RemediationAction[]): TimelineEntry[] {
  const entries: TimelineEntry[] = [
    { kind: "opened", at: incident.openedAt },
    ...diagnoses.map((d): TimelineEntry => ({ kind: "diagnosis", at: d.startedAt, diagnosis: d })),
    ...actions.map((a): TimelineEntry => ({ kind: "action", at: a.occurredAt, action: a })),
  ];
  if (incident.resolvedAt) entries.push({ kind: "resolved", at: incident.resolvedAt });
  // Stable sort: same-millisecond entries keep query order (step index, then phase time).
  return entries.sort((a, b) => a.at.getTime() - b.at.getTime() || ENTRY_ORDER[a.kind] - ENTRY_ORDER[b.kind]);
}

/** One incident with its timeline (opened, diagnoses, remediation steps, resolved) in time order. */
export async function getIncident(db: Queryable, ref: IncidentRef): Promise<IncidentDetail | undefined> {
  const { sql, key } = whereRef(ref);
  const [incident] = await db.query<Incident>(
    `SELECT ${incidentColumns("i")} FROM incidents i WHERE ${sql} LIMIT 1`,
    [key],
  );
  if (!incident) return undefined;
  // Through incident_tasks: every task that fed this incident, including refires.
  const tasks = "SELECT task_uid FROM incident_tasks WHERE incident_id = $1::uuid";
  const diagnoses = await db.query<Diagnosis>(
    `SELECT ${diagnosisColumns("d")} FROM diagnoses d WHERE d.task_uid IN (${tasks}) ORDER BY d.started_at, d.diagnosis_uid`,
    [incident.id],
  );
  const actions = await db.query<RemediationAction>(
    `SELECT ${actionColumns("a")} FROM remediation_actions a WHERE a.task_uid IN (${tasks})
     ORDER BY a.occurred_at, a.plan_uid, a.step_index, a.recorded_at`,
    [incident.id],
  );
  return { incident, timeline: timeline(incident, diagnoses, actions) };
}

/** Encodes a keyset position (opened_at, id) as an opaque cursor. */
export function encodeCursor(openedAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([openedAt.toISOString(), id])).toString("base64url");
}

/** Decodes a cursor from encodeCursor; a bad cursor is a StoreInputError. */
export function decodeCursor(cursor: string): { openedAt: string; id: string } {
  try {
    const [openedAt, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (typeof openedAt === "string" && typeof id === "string" && UUID.test(id) && ts(openedAt))
      return { openedAt, id };
  } catch {
    // fall through to the error below
  }
  throw new StoreInputError("invalid incident cursor");
}

function filterSql(filter: IncidentFilter): { where: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...values: unknown[]) => {
    params.push(...values);
    // "?" marks each parameter in order; numbered here so callers never count.
    let n = params.length - values.length;
    conditions.push(sql.replace(/\?/g, () => `$${++n}`));
  };
  if (filter.namespace !== undefined) add("namespace = ?", filter.namespace);
  if (filter.status !== undefined) add("status = ANY(?::text[])", [filter.status].flat());
  if (filter.severity !== undefined) add("severity = ?", filter.severity);
  if (filter.category !== undefined) add("category = ?", filter.category);
  if (filter.fingerprint !== undefined) add("fingerprint = ?", filter.fingerprint);
  if (filter.alertname !== undefined) add("alertname = ?", filter.alertname);
  if (filter.since !== undefined) add("opened_at >= ?::timestamptz", ts(filter.since, "since"));
  if (filter.until !== undefined) add("opened_at < ?::timestamptz", ts(filter.until, "until"));
  if (filter.cursor !== undefined) {
    const c = decodeCursor(filter.cursor);
    add("(opened_at, id) < (?::timestamptz, ?::uuid)", c.openedAt, c.id);
  }
  return { where: conditions.length ? `WHERE ${conditions.join(" AND ")}` : "", params };
}

/** Incidents newest first, filtered, one keyset page at a time. */
export async function listIncidents(db: Queryable, filter: IncidentFilter = {}): Promise<IncidentPage> {
  const limit = filter.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new StoreInputError("limit must be 1..500");
  const { where, params } = filterSql(filter);
  const rows = await db.query<Incident>(
    `SELECT ${incidentColumns("incidents")} FROM incidents ${where}
     ORDER BY opened_at DESC, id DESC LIMIT $${params.length + 1}`,
    [...params, limit + 1],
  );
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.openedAt, last.id) : null };
}
