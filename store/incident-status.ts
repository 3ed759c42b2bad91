import { redactObject } from "../redact/index.ts";
import type { Queryable } from "./database.ts";
import { json, opt, required, requiredTs, resourceVersion, statement, ts } from "./sql.ts";
import type { DiagnosedInput, Timestamp, WriteOutcome } from "./types.ts";

const BY_TASK = "i.id = (SELECT incident_id FROM incident_tasks WHERE task_uid = $1)";

/**
 * Runs `UPDATE incidents ... WHERE id IN target` and tells updated / stale / missing from one
 * statement: a separate existence check would see a different snapshot under READ COMMITTED
 * and could call "stale" an incident inserted between the two.
 */
async function guardedUpdate(
  db: Queryable,
  target: string,
  update: string,
  params: unknown[],
  name?: string,
): Promise<WriteOutcome> {
  const text = `WITH target AS (SELECT i.id FROM incidents i WHERE ${target}),
     updated AS (${update} RETURNING 1)
     SELECT (SELECT count(*) FROM target)::int AS found, (SELECT count(*) FROM updated)::int AS updated`;
  const [row] = await db.query<{ found: number; updated: number }>(
    name ? statement(name, text) : text,
    params,
  );
  if (row?.updated) return "updated";
  return row?.found ? "stale" : "missing";
}

/**
 * Adds a DiagnosisRun's result to the incident of its task: root cause, category, analysis,
 * recommendations; moves an open/diagnosing incident to "diagnosed" (never back from later
 * phases). Guarded by the run's resourceVersion; "missing" when the incident is not projected
 * yet (retry later).
 */
export async function markDiagnosed(db: Queryable, raw: DiagnosedInput): Promise<WriteOutcome> {
  const input = redactObject(raw);
  return guardedUpdate(
    db,
    BY_TASK,
    `UPDATE incidents SET
       root_cause = COALESCE($3, root_cause), category = COALESCE($4, category),
       ai_analysis = COALESCE($5::jsonb, ai_analysis), recommended_actions = COALESCE($6::jsonb, recommended_actions),
       diagnosis_ref = COALESCE($7, diagnosis_ref), diagnosed_at = LEAST(diagnosed_at, $8::timestamptz),
       status = CASE WHEN status IN ('open', 'diagnosing') THEN 'diagnosed' ELSE status END,
       diagnosis_uid = $2, diagnosis_resource_version = $9::bigint, updated_at = now()
     WHERE id IN (SELECT id FROM target) AND diagnosis_resource_version < $9::bigint`,
    [
      required(input.taskUid, "taskUid"),
      required(input.diagnosisUid, "diagnosisUid"),
      opt(input.rootCause),
      opt(input.category),
      json(input.aiAnalysis),
      json(input.recommendedActions),
      opt(input.diagnosisRef),
      requiredTs(input.diagnosedAt, "diagnosedAt"),
      resourceVersion(input.resourceVersion),
    ],
    "aisre_mark_diagnosed",
  );
}

export interface ResolvedInput {
  resolvedAt?: Timestamp;
  /** The SreTask's resourceVersion that says resolved: state older than the stored one is ignored. */
  resourceVersion?: string;
}

/**
 * Resolves the incident of a task, or the open incident of an alert fingerprint.
 * Idempotent: an already resolved incident is "stale"; "missing" when there is none.
 */
export async function markResolved(
  db: Queryable,
  ref: { taskUid: string } | { fingerprint: string },
  input: ResolvedInput = {},
): Promise<WriteOutcome> {
  const byTask = "taskUid" in ref;
  const key = byTask ? required(ref.taskUid, "taskUid") : required(ref.fingerprint, "fingerprint");
  const rv = input.resourceVersion === undefined ? null : resourceVersion(input.resourceVersion);
  return guardedUpdate(
    db,
    byTask ? BY_TASK : "i.fingerprint = $1",
    `UPDATE incidents SET status = 'resolved', resolved_at = COALESCE($2::timestamptz, now()),
       cr_resource_version = GREATEST(cr_resource_version, $3::bigint), updated_at = now()
     WHERE id IN (SELECT id FROM target) AND status <> 'resolved'
       AND ($3::bigint IS NULL OR cr_resource_version < $3::bigint)`,
    [key, ts(input.resolvedAt, "resolvedAt"), rv],
  );
}
