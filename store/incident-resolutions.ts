/**
 * Resolved incidents with what resolved them: the last finished remediation step of the
 * incident's tasks (action, target, outcome). The rows automation suggestions are made from.
 */
import { windowStart } from "./action-history.ts";
import type { Queryable } from "./database.ts";
import type { StepOutcome } from "./action-history.ts";
import { StoreInputError } from "./sql.ts";

/** One resolved incident and the step that resolved it. */
export interface IncidentResolution {
  incidentId: string;
  taskName: string;
  taskNamespace: string;
  /** The workload's namespace. */
  namespace: string | null;
  alertname: string | null;
  category: string | null;
  rootCause: string | null;
  resolvedAt: Date;
  action: string;
  target: { kind: string; namespace?: string; name: string };
  outcome: StepOutcome;
}

/** Which resolutions to read. */
export interface ResolutionQuery {
  days?: number;
  now?: Date;
  /** Only incidents of workloads in this namespace. */
  namespace?: string;
  /** At most this many, newest first (1..10000, default 2000). */
  limit?: number;
}

// The last finished step (action <> 'Plan') of any task of the incident: Undone wins over the
// Succeeded row of the same step, so a step rolled back never reads as what resolved it.
const RESOLUTIONS_SQL = `
SELECT i.id::text AS id, i.task_name, i.task_namespace, i.namespace, i.alertname, i.category, i.root_cause,
  i.resolved_at, s.action, s.target, s.outcome
FROM incidents i
CROSS JOIN LATERAL (
  SELECT min(a.action) AS action, min(a.target::text)::jsonb AS target,
    CASE WHEN bool_or(a.phase = 'Undone') THEN 'undone' WHEN bool_or(a.phase = 'Failed') THEN 'failed'
      ELSE 'verified' END AS outcome
  FROM remediation_actions a
  WHERE a.task_uid IN (SELECT t.task_uid FROM incident_tasks t WHERE t.incident_id = i.id)
    AND a.action <> 'Plan' AND a.phase IN ('Succeeded', 'Failed', 'Undone')
  GROUP BY a.plan_uid, a.step_index
  ORDER BY max(a.occurred_at) DESC
  LIMIT 1
) s
WHERE i.status = 'resolved' AND i.resolved_at >= $1::timestamptz AND ($2::text IS NULL OR i.namespace = $2::text)
  AND s.target IS NOT NULL
ORDER BY i.resolved_at DESC, i.id
LIMIT $3`;

interface Row {
  id: string;
  task_name: string;
  task_namespace: string;
  namespace: string | null;
  alertname: string | null;
  category: string | null;
  root_cause: string | null;
  resolved_at: Date | string;
  action: string;
  target: { kind?: string; namespace?: string; name?: string } | string;
  outcome: StepOutcome;
}

/** Resolved incidents of the window with the step that resolved each, newest first: one query. */
export async function incidentResolutions(
  db: Queryable,
  q: ResolutionQuery = {},
): Promise<IncidentResolution[]> {
  const since = windowStart(q.days ?? 30, q.now ?? new Date());
  const limit = q.limit ?? 2000;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new StoreInputError("limit must be an integer from 1 to 10000");
  const rows = await db.query<Row>(RESOLUTIONS_SQL, [since.toISOString(), q.namespace ?? null, limit]);
  return rows.flatMap((r) => {
    const t =
      typeof r.target === "string" ? (JSON.parse(r.target) as Exclude<Row["target"], string>) : r.target;
    if (!t.kind || !t.name) return [];
    return [
      {
        incidentId: r.id,
        taskName: r.task_name,
        taskNamespace: r.task_namespace,
        namespace: r.namespace,
        alertname: r.alertname,
        category: r.category,
        rootCause: r.root_cause,
        resolvedAt: new Date(r.resolved_at),
        action: r.action,
        target: { kind: t.kind, ...(t.namespace ? { namespace: t.namespace } : {}), name: t.name },
        outcome: r.outcome,
      },
    ];
  });
}
