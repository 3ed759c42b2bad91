import { redactObject } from "../redact/index.ts";
import type { Queryable } from "./database.ts";
import { json, opt, required, requiredTs, resourceVersion, statement, StoreInputError, ts } from "./sql.ts";
import type { DiagnosisInput, RemediationActionInput, WriteOutcome } from "./types.ts";

// xmax = 0 only on a freshly inserted row version: tells "inserted" from "updated".
const outcome = (rows: { inserted: boolean }[]): WriteOutcome =>
  rows.length === 0 ? "stale" : rows[0]?.inserted ? "inserted" : "updated";

const RECORD_DIAGNOSIS = statement(
  "aisre_record_diagnosis",
  `INSERT INTO diagnoses (diagnosis_uid, task_uid, name, namespace, phase, root_cause, category, confidence,
     findings, ai_analysis, recommended_actions, started_at, completed_at, cr_resource_version)
   VALUES ($1, $2, $3, $4, $5, $6, $7, $8::double precision, COALESCE($9::jsonb, '[]'::jsonb), $10::jsonb,
     COALESCE($11::jsonb, '[]'::jsonb), $12::timestamptz, $13::timestamptz, $14::bigint)
   ON CONFLICT (diagnosis_uid) DO UPDATE SET
     phase = EXCLUDED.phase, root_cause = COALESCE($6, diagnoses.root_cause),
     category = COALESCE($7, diagnoses.category), confidence = COALESCE($8::double precision, diagnoses.confidence),
     findings = COALESCE($9::jsonb, diagnoses.findings), ai_analysis = COALESCE($10::jsonb, diagnoses.ai_analysis),
     recommended_actions = COALESCE($11::jsonb, diagnoses.recommended_actions),
     completed_at = COALESCE($13::timestamptz, diagnoses.completed_at),
     cr_resource_version = EXCLUDED.cr_resource_version, updated_at = now()
   WHERE diagnoses.cr_resource_version < EXCLUDED.cr_resource_version
   RETURNING (xmax = 0) AS inserted`,
);

/**
 * Records (or advances) one DiagnosisRun in the diagnosis history, idempotently by its uid;
 * older state (by resourceVersion) is "stale" and changes nothing.
 */
export async function recordDiagnosis(db: Queryable, raw: DiagnosisInput): Promise<WriteOutcome> {
  const input = redactObject(raw);
  const rows = await db.query<{ inserted: boolean }>(RECORD_DIAGNOSIS, [
    required(input.diagnosisUid, "diagnosisUid"),
    required(input.taskUid, "taskUid"),
    required(input.name, "name"),
    required(input.namespace, "namespace"),
    required(input.phase, "phase"),
    opt(input.rootCause),
    opt(input.category),
    input.confidence ?? null,
    json(input.findings),
    json(input.aiAnalysis),
    json(input.recommendedActions),
    requiredTs(input.startedAt, "startedAt"),
    ts(input.completedAt, "completedAt"),
    resourceVersion(input.resourceVersion),
  ]);
  return outcome(rows);
}

/**
 * Records one RemediationPlan step reaching one phase in the audit log, idempotently by
 * (plan uid, step index, phase); older plan state (by resourceVersion) is "stale".
 */
export async function recordRemediationAction(
  db: Queryable,
  raw: RemediationActionInput,
): Promise<WriteOutcome> {
  const input = redactObject(raw);
  if (!Number.isInteger(input.stepIndex) || input.stepIndex < 0) {
    throw new StoreInputError(`stepIndex must be a non-negative integer, got ${input.stepIndex}`);
  }
  const rows = await db.query<{ inserted: boolean }>(
    `INSERT INTO remediation_actions (plan_uid, plan_name, plan_namespace, task_uid, step_index, phase, action,
       target, risk, approved_by, dry_run_result, outcome, message, occurred_at, finished_at, cr_resource_version)
     VALUES ($1, $2, $3, $4, $5::integer, $6, $7, $8::jsonb, $9, $10, $11::jsonb, $12, $13, $14::timestamptz,
       $15::timestamptz, $16::bigint)
     ON CONFLICT (plan_uid, step_index, phase) DO UPDATE SET
       action = EXCLUDED.action, target = COALESCE($8::jsonb, remediation_actions.target),
       risk = COALESCE($9, remediation_actions.risk), approved_by = COALESCE($10, remediation_actions.approved_by),
       dry_run_result = COALESCE($11::jsonb, remediation_actions.dry_run_result),
       outcome = COALESCE($12, remediation_actions.outcome), message = COALESCE($13, remediation_actions.message),
       finished_at = COALESCE($15::timestamptz, remediation_actions.finished_at),
       cr_resource_version = EXCLUDED.cr_resource_version, updated_at = now()
     WHERE remediation_actions.cr_resource_version < EXCLUDED.cr_resource_version
     RETURNING (xmax = 0) AS inserted`,
    [
      required(input.planUid, "planUid"),
      required(input.planName, "planName"),
      required(input.planNamespace, "planNamespace"),
      required(input.taskUid, "taskUid"),
      input.stepIndex,
      required(input.phase, "phase"),
      required(input.action, "action"),
      json(input.target),
      opt(input.risk),
      opt(input.approvedBy),
      json(input.dryRunResult),
      opt(input.outcome),
      opt(input.message),
      requiredTs(input.occurredAt, "occurredAt"),
      ts(input.finishedAt, "finishedAt"),
      resourceVersion(input.resourceVersion),
    ],
  );
  return outcome(rows);
}
