import type {
  DiagnosisRun,
  PlanStep,
  Recommendation,
  RemediationPlan,
  SreTask,
  SreTaskStatus,
} from "../../crds/index.ts";
import { ConditionType, Reason, RemediationPlanPhase, SreTaskPhase, typeMeta } from "../../crds/index.ts";
import { findCondition, formatTime, setCondition, setControllerReference } from "../../runtime/index.ts";
import { currentPlanName } from "./episode.ts";

const kebab = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();

/**
 * A recommendation as a plan step. EC2 recommendations name the Node; the step acts on the
 * instance (target Ec2Instance named by params.instanceId), as the automation README asks.
 */
export function stepOf(rec: Recommendation, i: number): PlanStep | undefined {
  if (rec.action === "RunbookOnly") return undefined; // a person acts: nothing for a plan to execute
  let target = rec.target;
  if (rec.action.startsWith("Ec2") && target.kind !== "Ec2Instance") {
    const id = rec.params?.instanceId;
    if (typeof id !== "string" || !id) return undefined;
    target = { kind: "Ec2Instance", name: id };
  }
  return {
    name: `${i + 1}-${kebab(rec.action)}`.slice(0, 63),
    action: rec.action,
    target,
    ...(rec.params && Object.keys(rec.params).length ? { params: rec.params } : {}),
    risk: rec.risk,
    description: rec.rationale,
  };
}

/** The steps a run's recommendations make, in order (manual-only recommendations dropped). */
export function stepsOf(run: DiagnosisRun): PlanStep[] {
  const recs = run.status?.recommendations ?? [];
  return recs
    .map(stepOf)
    .filter((s): s is PlanStep => s !== undefined)
    .map((s, i) => ({ ...s, name: `${i + 1}-${kebab(s.action)}`.slice(0, 63) }));
}

/**
 * True when a diagnosed task should get a plan: remediation is not Never, the task asks
 * for remediation (type Remediate) or policy runs plans on its own (autoRemediation), and
 * the diagnosis recommended something a plan can execute.
 */
export function wantsPlan(task: SreTask, run: DiagnosisRun | undefined, autoRemediation: boolean): boolean {
  if (task.status?.phase !== SreTaskPhase.Diagnosed || task.status.remediationPlanRef) return false;
  if ((task.spec.remediation?.mode ?? "Approval") === "Never" || !run) return false;
  const asks = task.spec.type === "Remediate" || task.status.classification?.type === "Remediate";
  return (asks || autoRemediation) && stepsOf(run).length > 0;
}

/**
 * The RemediationPlan of the task's current episode: named like its DiagnosisRun (the task's
 * name, `${task}-e${n}` from episode 2), the run's recommendations as steps.
 */
export function desiredPlan(task: SreTask, run: DiagnosisRun): RemediationPlan {
  const root = run.status?.rootCause;
  const plan: RemediationPlan = {
    ...typeMeta("RemediationPlan"),
    metadata: {
      name: currentPlanName(task),
      namespace: task.metadata.namespace,
      labels: { "aisre.io/task": task.metadata.name ?? "" },
    },
    spec: {
      taskRef: { name: task.metadata.name ?? "" },
      diagnosisRunRef: { name: run.metadata.name ?? "" },
      agentConfigRef: task.spec.agentConfigRef ?? { name: "default" },
      description: (root ? `Fix ${root.category}: ${root.summary}` : "Follow the diagnosis").slice(0, 1024),
      steps: stepsOf(run),
      undoOnFailure: true,
    },
  };
  return setControllerReference(task, plan);
}

/** Records that the task's episode owns a plan. */
export function recordPlanCreated(status: SreTaskStatus, task: SreTask): void {
  status.remediationPlanRef = { name: currentPlanName({ ...task, status }) };
}

const PLAN_TO_TASK: Record<string, string> = {
  [RemediationPlanPhase.Pending]: SreTaskPhase.Diagnosed,
  [RemediationPlanPhase.AwaitingApproval]: SreTaskPhase.AwaitingApproval,
  [RemediationPlanPhase.Approved]: SreTaskPhase.Remediating,
  [RemediationPlanPhase.Running]: SreTaskPhase.Remediating,
  [RemediationPlanPhase.Succeeded]: SreTaskPhase.Succeeded,
  [RemediationPlanPhase.Failed]: SreTaskPhase.Failed,
  [RemediationPlanPhase.RolledBack]: SreTaskPhase.Failed,
  [RemediationPlanPhase.Rejected]: SreTaskPhase.Failed,
};

/** The Remediated condition's status and reason for a task phase mirrored from a plan. */
function remediatedCondition(
  phase: string,
  planReason: string,
): { status: "True" | "False" | "Unknown"; reason: string } {
  if (phase === SreTaskPhase.Succeeded) return { status: "True", reason: planReason };
  if (phase === SreTaskPhase.Failed) return { status: "False", reason: planReason };
  return {
    status: "Unknown",
    reason: phase === SreTaskPhase.AwaitingApproval ? Reason.AwaitingApproval : Reason.Remediating,
  };
}

/** Mirrors the plan into the task: AwaitingApproval → Remediating → Succeeded / Failed (with the plan's reason). */
export function mirrorPlan(status: SreTaskStatus, task: SreTask, plan: RemediationPlan, now: number): void {
  const planPhase = plan.status?.phase ?? "";
  const phase = PLAN_TO_TASK[planPhase];
  if (!phase) return;
  const planReason = findCondition(plan.status?.conditions, ConditionType.Ready)?.reason ?? planPhase;
  const message = `RemediationPlan ${plan.metadata.name} ${planPhase}: ${plan.status?.message ?? ""}`.slice(
    0,
    1024,
  );
  status.phase = phase as SreTaskStatus["phase"];
  status.message = message;
  const final = phase === SreTaskPhase.Succeeded || phase === SreTaskPhase.Failed;
  const c = {
    ...remediatedCondition(phase, planReason),
    message,
    observedGeneration: task.metadata.generation,
  };
  status.conditions = setCondition(status.conditions, { type: ConditionType.Remediated, ...c }, now);
  if (!final) return;
  status.completionTime ??= formatTime(now);
  const ready = { ...c, status: c.status === "True" ? ("True" as const) : ("False" as const) };
  status.conditions = setCondition(status.conditions, { type: ConditionType.Ready, ...ready }, now);
}
