/**
 * SELECT lists that return rows already shaped as the API types (camelCase aliases;
 * bigints as text, because pg and PGlite parse int8 differently).
 */

function select(alias: string, columns: Record<string, string>): string {
  return Object.entries(columns)
    .map(([name, expr]) => `${expr.replaceAll("$.", `${alias}.`)} AS "${name}"`)
    .join(", ");
}

const INCIDENT = {
  id: "$.id::text",
  taskUid: "$.task_uid",
  taskName: "$.task_name",
  taskNamespace: "$.task_namespace",
  fingerprint: "$.fingerprint",
  alertname: "$.alertname",
  severity: "$.severity",
  status: "$.status",
  namespace: "$.namespace",
  target: "$.target",
  summary: "$.summary",
  rootCause: "$.root_cause",
  rootCauseChange: "$.root_cause_change",
  category: "$.category",
  aiAnalysis: "$.ai_analysis",
  recommendedActions: "$.recommended_actions",
  diagnosisRef: "$.diagnosis_ref",
  planRef: "$.plan_ref",
  openedAt: "$.opened_at",
  diagnosedAt: "$.diagnosed_at",
  resolvedAt: "$.resolved_at",
  resourceVersion: "$.cr_resource_version::text",
  createdAt: "$.created_at",
  updatedAt: "$.updated_at",
};

const DIAGNOSIS = {
  diagnosisUid: "$.diagnosis_uid",
  taskUid: "$.task_uid",
  name: "$.name",
  namespace: "$.namespace",
  phase: "$.phase",
  rootCause: "$.root_cause",
  category: "$.category",
  confidence: "$.confidence",
  findings: "$.findings",
  aiAnalysis: "$.ai_analysis",
  recommendedActions: "$.recommended_actions",
  startedAt: "$.started_at",
  completedAt: "$.completed_at",
  resourceVersion: "$.cr_resource_version::text",
};

const ACTION = {
  id: "$.id::text",
  planUid: "$.plan_uid",
  planName: "$.plan_name",
  planNamespace: "$.plan_namespace",
  taskUid: "$.task_uid",
  stepIndex: "$.step_index",
  phase: "$.phase",
  action: "$.action",
  target: "$.target",
  risk: "$.risk",
  approvedBy: "$.approved_by",
  dryRunResult: "$.dry_run_result",
  outcome: "$.outcome",
  message: "$.message",
  occurredAt: "$.occurred_at",
  finishedAt: "$.finished_at",
  resourceVersion: "$.cr_resource_version::text",
};

/** Incident columns of table alias `alias`. */
export const incidentColumns = (alias = "incidents"): string => select(alias, INCIDENT);

/** The SELECT list of an IncidentBrief (store/similar-incidents.ts). */
export const incidentBriefColumns = (alias = "incidents"): string =>
  select(alias, {
    id: INCIDENT.id,
    taskName: INCIDENT.taskName,
    taskNamespace: INCIDENT.taskNamespace,
    status: INCIDENT.status,
    openedAt: INCIDENT.openedAt,
    resolvedAt: INCIDENT.resolvedAt,
  });
/** Diagnosis columns of table alias `alias`. */
export const diagnosisColumns = (alias = "diagnoses"): string => select(alias, DIAGNOSIS);
/** Remediation action columns of table alias `alias`. */
export const actionColumns = (alias = "remediation_actions"): string => select(alias, ACTION);
