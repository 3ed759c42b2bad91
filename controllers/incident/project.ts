import type { DiagnosisRun, SreTask } from "../../crds/index.ts";
import { SreTaskPhase } from "../../crds/index.ts";
import { currentRunName } from "../sretask/episode.ts";
import type { DiagnosisInput, IncidentInput, IncidentStatus } from "../../store/index.ts";

const STATUS_BY_PHASE: Record<string, IncidentStatus> = {
  Pending: "open",
  Accepted: "open",
  Diagnosing: "diagnosing",
  Diagnosed: "diagnosed",
  AwaitingApproval: "diagnosed",
  Remediating: "remediating",
  Succeeded: "resolved",
  Failed: "failed",
  Resolved: "resolved",
};

/** The incident row an SreTask projects to (PostgreSQL is a projection of the CR, never a second truth). */
export function incidentOf(task: SreTask): IncidentInput {
  const { metadata } = task;
  return {
    taskUid: metadata.uid ?? "",
    taskName: metadata.name ?? "",
    taskNamespace: metadata.namespace ?? "",
    resourceVersion: metadata.resourceVersion ?? "0",
    status: STATUS_BY_PHASE[task.status?.phase ?? "Pending"] ?? "open",
    ...alertPart(task),
    ...outcomePart(task),
  };
}

function alertPart(
  task: SreTask,
): Pick<IncidentInput, "openedAt" | "summary" | "fingerprint" | "alertname" | "severity"> {
  const alert = task.spec.alert;
  return {
    openedAt: alert?.startsAt ?? task.metadata.creationTimestamp ?? new Date(),
    summary: alert?.annotations?.summary ?? task.spec.description ?? task.status?.message,
    fingerprint: alert?.fingerprint,
    alertname: alert?.labels.alertname,
    severity: alert?.labels.severity,
  };
}

function targetPart(task: SreTask): Pick<IncidentInput, "namespace" | "target"> {
  const target = task.spec.target ?? task.status?.classification?.target;
  return {
    namespace: target?.namespace ?? task.spec.alert?.labels.namespace,
    target: target ? { ...target } : undefined,
  };
}

function outcomePart(task: SreTask): Partial<IncidentInput> {
  const status = task.status;
  return {
    ...targetPart(task),
    rootCause: status?.rootCause?.summary,
    rootCauseChange: status?.rootCause?.change,
    category: status?.rootCause?.category,
    diagnosisRef: status?.diagnosisRunRef?.name,
    planRef: status?.remediationPlanRef?.name,
    resolvedAt: status?.resolvedAt,
  };
}

/** The diagnosis history row a finished DiagnosisRun projects to; undefined while it runs. */
export function diagnosisOf(run: DiagnosisRun, taskUid: string): DiagnosisInput | undefined {
  const s = run.status;
  if (!s || (s.phase !== "Completed" && s.phase !== "Failed")) return undefined;
  const input: DiagnosisInput = {
    diagnosisUid: run.metadata.uid ?? "",
    taskUid,
    name: run.metadata.name ?? "",
    namespace: run.metadata.namespace ?? "",
    phase: s.phase,
    resourceVersion: run.metadata.resourceVersion ?? "0",
    startedAt: s.startTime ?? run.metadata.creationTimestamp ?? new Date(),
    findings: s.findings ?? [],
    recommendedActions: s.recommendations ?? [],
  };
  if (s.completionTime) input.completedAt = s.completionTime;
  if (s.rootCause) {
    Object.assign(input, {
      rootCause: s.rootCause.summary,
      category: s.rootCause.category,
      confidence: s.rootCause.confidence,
    });
  }
  if (s.explanation) input.aiAnalysis = { explanation: s.explanation, llm: s.llm };
  return input;
}

/**
 * True when the SreTask controller will write this finished run into its task (a task being
 * diagnosed with it as its current run, its alert not resolved): the task's own change then
 * projects the run, and projecting on the run's event too cost a second transaction a task.
 */
export function mirroredByTask(run: DiagnosisRun, task: SreTask | undefined): boolean {
  if (!task || task.status?.phase !== SreTaskPhase.Diagnosing) return false;
  if (task.spec.alert?.status === "resolved") return false;
  return currentRunName(task) === run.metadata.name;
}
