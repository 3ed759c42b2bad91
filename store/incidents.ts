import type { Database, Queryable } from "./database.ts";
import { redactObject } from "../redact/index.ts";
import { isUniqueViolation } from "./errors.ts";
import { json, opt, required, requiredTs, resourceVersion, statement, StoreInputError, ts } from "./sql.ts";
import { INCIDENT_STATUSES, type IncidentInput, type IncidentStatus, type WriteOutcome } from "./types.ts";

export interface UpsertIncidentResult {
  outcome: WriteOutcome;
  incidentId: string;
}

// Parameter order shared by the INSERT and the UPDATE below.
function incidentParams(input: IncidentInput): unknown[] {
  if (!INCIDENT_STATUSES.includes(input.status))
    throw new StoreInputError(`unknown incident status ${input.status}`);
  return [
    required(input.taskUid, "taskUid"),
    required(input.taskName, "taskName"),
    required(input.taskNamespace, "taskNamespace"),
    opt(input.fingerprint || undefined),
    opt(input.alertname),
    opt(input.severity),
    input.status,
    opt(input.namespace),
    json(input.target),
    opt(input.summary),
    opt(input.rootCause),
    opt(input.category),
    json(input.aiAnalysis),
    json(input.recommendedActions),
    opt(input.diagnosisRef),
    opt(input.planRef),
    requiredTs(input.openedAt, "openedAt"),
    ts(input.diagnosedAt, "diagnosedAt"),
    ts(input.resolvedAt, "resolvedAt"),
    resourceVersion(input.resourceVersion),
    json(input.rootCauseChange),
  ];
}

const INSERT_SQL = statement(
  "aisre_insert_incident",
  `
INSERT INTO incidents (task_uid, task_name, task_namespace, fingerprint, alertname, severity, status, namespace,
  target, summary, root_cause, category, ai_analysis, recommended_actions, diagnosis_ref, plan_ref,
  opened_at, diagnosed_at, resolved_at, cr_resource_version, root_cause_change)
VALUES ($1, $2, $3, $4, $5, $6, $7::text, $8, $9::jsonb, $10, $11, $12, $13::jsonb,
  COALESCE($14::jsonb, '[]'::jsonb), $15, $16, $17::timestamptz, $18::timestamptz,
  CASE WHEN $7::text = 'resolved' THEN COALESCE($19::timestamptz, now()) END, $20::bigint, $21::jsonb)
RETURNING id::text AS id`,
);

// $1 is the incident id, $2.. are incidentParams without the three task identity fields.
// Only newer SreTask state applies; fields the state leaves out keep their value, except the
// root cause's change, which belongs to the root cause it comes with (a new one without a change clears it).
// LEAST ignores NULLs: opened/diagnosed keep the earliest time seen. The fingerprint is
// set once, and never onto a second open incident of the same alert.
const UPDATE_SQL = statement(
  "aisre_update_incident",
  `
UPDATE incidents SET
  fingerprint = COALESCE(fingerprint, CASE WHEN NOT EXISTS (SELECT 1 FROM incidents o
    WHERE o.fingerprint = $2 AND o.status <> 'resolved' AND o.id <> $1::uuid) THEN $2 END),
  alertname = COALESCE($3, alertname), severity = COALESCE($4, severity),
  status = $5::text, namespace = COALESCE($6, namespace), target = COALESCE($7::jsonb, target),
  summary = COALESCE($8, summary), root_cause = COALESCE($9, root_cause), category = COALESCE($10, category),
  ai_analysis = COALESCE($11::jsonb, ai_analysis), recommended_actions = COALESCE($12::jsonb, recommended_actions),
  diagnosis_ref = COALESCE($13, diagnosis_ref), plan_ref = COALESCE($14, plan_ref),
  opened_at = LEAST(opened_at, $15::timestamptz), diagnosed_at = LEAST(diagnosed_at, $16::timestamptz),
  resolved_at = CASE WHEN $5::text = 'resolved' THEN COALESCE($17::timestamptz, resolved_at, now()) END,
  cr_resource_version = $18::bigint, updated_at = now(),
  root_cause_change = CASE WHEN $9::text IS NULL THEN root_cause_change ELSE $19::jsonb END
WHERE id = $1::uuid AND cr_resource_version < $18::bigint
RETURNING id::text AS id`,
);

const LINK_SQL = statement(
  "aisre_link_task",
  `INSERT INTO incident_tasks (task_uid, incident_id) VALUES ($1, $2::uuid)
   ON CONFLICT (task_uid) DO UPDATE SET incident_id = EXCLUDED.incident_id, linked_at = now()
   WHERE incident_tasks.incident_id <> EXCLUDED.incident_id`,
);

const MAPPED_SQL = statement(
  "aisre_task_incident",
  `SELECT i.id::text AS id, i.status, i.cr_resource_version::text AS rv, i.fingerprint
   FROM incident_tasks t JOIN incidents i ON i.id = t.incident_id WHERE t.task_uid = $1`,
);

const OPEN_SQL = statement(
  "aisre_open_incident",
  `SELECT id::text AS id, status, cr_resource_version::text AS rv, fingerprint
   FROM incidents WHERE fingerprint = $1 AND status <> 'resolved'`,
);

const LOCK_SQL = statement(
  "aisre_incident_lock",
  "SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))",
);

interface Candidate {
  id: string;
  status: IncidentStatus;
  rv: string;
  fingerprint: string | null;
}

async function link(tx: Queryable, taskUid: string, incidentId: string): Promise<void> {
  await tx.query(LINK_SQL, [taskUid, incidentId]);
}

/**
 * The incident this task state belongs to: the one its task already feeds, unless that one
 * is resolved and this newer state reopens it while another incident is open for the same
 * fingerprint; then (or for a task seen for the first time) the open incident of its fingerprint.
 */
async function findIncident(tx: Queryable, input: IncidentInput): Promise<Candidate | undefined> {
  const [mapped] = await tx.query<Candidate>(MAPPED_SQL, [input.taskUid]);
  const reopens =
    mapped?.status === "resolved" &&
    input.status !== "resolved" &&
    BigInt(input.resourceVersion) > BigInt(mapped.rv);
  // State without a fingerprint still belongs to the alert its incident was opened for.
  const fingerprint = input.fingerprint || mapped?.fingerprint;
  if (!fingerprint || (mapped && !reopens)) return mapped;
  const [open] = await tx.query<Candidate>(OPEN_SQL, [fingerprint]);
  if (!open) return mapped;
  await link(tx, input.taskUid, open.id);
  return open;
}

async function upsertOnce(
  tx: Queryable,
  input: IncidentInput,
  params: unknown[],
): Promise<UpsertIncidentResult> {
  // Serialises writers of one alert (or task): no two "first" upserts both insert.
  const lockKey = `aisre.incident:${input.fingerprint || input.taskUid}`;
  await tx.query(LOCK_SQL, [lockKey]);
  const found = await findIncident(tx, input);
  if (!found) {
    const [row] = await tx.query<{ id: string }>(INSERT_SQL, params);
    if (!row) throw new Error("INSERT INTO incidents returned no row");
    await link(tx, input.taskUid, row.id);
    return { outcome: "inserted", incidentId: row.id };
  }
  const updated = await tx.query<{ id: string }>(UPDATE_SQL, [found.id, ...params.slice(3)]);
  return { outcome: updated.length > 0 ? "updated" : "stale", incidentId: found.id };
}

/**
 * Projects SreTask state into its incident, idempotently: keyed by task uid, and by alert
 * fingerprint while an incident is open (a refiring alert updates it). State older than or
 * equal to what is stored (by resourceVersion) changes nothing and returns "stale".
 */
export async function upsertIncident(db: Database, raw: IncidentInput): Promise<UpsertIncidentResult> {
  // Incident rows outlive the cluster and are read by people and the sidecar: no secret goes in.
  const input = redactObject(raw);
  const params = incidentParams(input);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction((tx) => upsertOnce(tx, input, params));
    } catch (err) {
      // Writers of one task with and without a fingerprint take different locks; the loser
      // of that race hits a unique index once, and its retry finds the winner's row.
      if (attempt < 3 && isUniqueViolation(err)) continue;
      throw err;
    }
  }
}
