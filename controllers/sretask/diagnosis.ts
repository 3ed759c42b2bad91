import type { DiagnosisRun, ObjectReference, SreTask, SreTaskStatus } from "../../crds/index.ts";
import { ConditionType, DiagnosisRunPhase, Reason, SreTaskPhase, typeMeta } from "../../crds/index.ts";
import { findCondition, formatTime, setControllerReference, setCondition } from "../../runtime/index.ts";
import { currentRunName } from "./episode.ts";

/**
 * The DiagnosisRun of the task's current episode: named after the task (`${task}-e${n}` from
 * episode 2), the task's alert, and its explicit target (or, with no alert, the classified
 * one). An alert stays the focus rather than the pod its labels name, so the engine can
 * follow a replaced pod to its workload.
 */
export function desiredRun(task: SreTask): DiagnosisRun {
  const target = task.spec.target ?? (task.spec.alert ? undefined : ownClassifiedTarget(task));
  const run: DiagnosisRun = {
    ...typeMeta("DiagnosisRun"),
    metadata: {
      name: currentRunName(task),
      namespace: task.metadata.namespace,
      labels: { "aisre.io/task": task.metadata.name ?? "" },
    },
    spec: {
      taskRef: { name: task.metadata.name ?? "" },
      agentConfigRef: task.spec.agentConfigRef ?? { name: "default" },
      ...(target ? { target } : {}),
      ...(task.spec.alert ? { alert: task.spec.alert } : {}),
    },
  };
  return setControllerReference(task, run);
}

/**
 * The classified target (guessed from the description) when it lies in the task's namespace or
 * is cluster-scoped; one in another namespace is dropped, so the run looks at the task's own
 * namespace instead (judgeTask refuses an explicit spec.target elsewhere).
 */
function ownClassifiedTarget(task: SreTask): ObjectReference | undefined {
  const guess = task.status?.classification?.target;
  if (!guess) return undefined;
  const own = task.metadata.namespace;
  if (guess.namespace !== undefined && guess.namespace !== own) return undefined;
  if (guess.kind === "Namespace" && guess.name !== own) return undefined;
  return guess;
}

/** True once the task's diagnosis is settled (mirrored from a finished run). */
export function diagnosisSettled(task: SreTask): boolean {
  return (
    findCondition(task.status?.conditions, ConditionType.Diagnosed)?.status === "True" ||
    task.status?.phase === SreTaskPhase.Failed
  );
}

/** Records that the DiagnosisRun of the task's episode exists and is under way. */
export function recordDiagnosing(status: SreTaskStatus, task: SreTask, now: number): void {
  const name = currentRunName({ ...task, status });
  status.diagnosisRunRef = { name };
  if (status.phase !== SreTaskPhase.Accepted) return;
  status.phase = SreTaskPhase.Diagnosing;
  status.message = "Diagnosing";
  status.conditions = setCondition(
    status.conditions,
    {
      type: ConditionType.Diagnosed,
      status: "Unknown",
      reason: Reason.Diagnosing,
      message: `DiagnosisRun ${name} started`,
      observedGeneration: task.metadata.generation,
    },
    now,
  );
}

/** Mirrors a finished DiagnosisRun into the task: phase, root cause, conditions. */
export function mirrorRun(status: SreTaskStatus, task: SreTask, run: DiagnosisRun, now: number): void {
  status.diagnosisRunRef ??= { name: run.metadata.name ?? "" };
  const rs = run.status;
  if (!rs || (rs.phase !== DiagnosisRunPhase.Completed && rs.phase !== DiagnosisRunPhase.Failed)) return;
  const gen = task.metadata.generation;
  const failed = rs.phase === DiagnosisRunPhase.Failed;
  const reason = failed ? Reason.DiagnosisFailed : rs.rootCause ? Reason.RootCauseFound : Reason.NothingWrong;
  const message = rs.message ?? reason;
  status.phase = failed ? SreTaskPhase.Failed : SreTaskPhase.Diagnosed;
  status.message = message;
  if (rs.rootCause) status.rootCause = rs.rootCause;
  if (failed) status.completionTime ??= formatTime(now);
  status.conditions = setCondition(
    status.conditions,
    {
      type: ConditionType.Diagnosed,
      status: failed ? "False" : "True",
      reason,
      message,
      observedGeneration: gen,
    },
    now,
  );
  status.conditions = setCondition(
    status.conditions,
    {
      type: ConditionType.Ready,
      status: failed ? "False" : "True",
      reason,
      message,
      observedGeneration: gen,
    },
    now,
  );
}

/**
 * Records that the alert behind the task resolved: the task ends Resolved, having observed
 * this generation (a later one that fires again is a new episode: episode.ts).
 */
export function recordResolved(status: SreTaskStatus, task: SreTask, now: number): void {
  const at = task.spec.alert?.endsAt ?? formatTime(now);
  status.phase = SreTaskPhase.Resolved;
  if (task.metadata.generation !== undefined) status.observedGeneration = task.metadata.generation;
  status.resolvedAt ??= at;
  status.completionTime ??= formatTime(now);
  status.message = "The alert resolved";
  status.conditions = setCondition(
    status.conditions,
    {
      type: ConditionType.AlertResolved,
      status: "True",
      reason: Reason.AlertResolved,
      message: `resolved at ${at}`,
      observedGeneration: task.metadata.generation,
    },
    now,
  );
}
