import type { SreTask, SreTaskStatus } from "../../crds/index.ts";
import { ConditionType, Reason, SreTaskPhase, specErrors } from "../../crds/index.ts";
import { findCondition, formatTime, setCondition } from "../../runtime/index.ts";

/** What acceptance decided: the task is taken on, or refused for a reason a user can fix. */
export type Acceptance = { accepted: true; message: string } | { accepted: false; message: string };

/**
 * Why the task's target lies outside the task's own namespace, naming the field; undefined when
 * it does not. Whoever may create a task in one namespace must not get another namespace read
 * (diagnosed, its logs shown to an LLM) or changed by it. Cluster-scoped targets (Node,
 * Ec2Instance) have no namespace; a Namespace target must be the task's own.
 */
export function foreignTarget(task: SreTask): string | undefined {
  const own = task.metadata.namespace ?? "";
  const target = task.spec.target;
  if (target?.namespace !== undefined && target.namespace !== own)
    return `spec.target.namespace: ${target.namespace} is not the task's namespace ${own}; a task may only target its own namespace (create it in ${target.namespace})`;
  if (target?.kind === "Namespace" && target.name !== own)
    return `spec.target.name: Namespace ${target.name} is not the task's namespace ${own}; a task may only target its own namespace`;
  return undefined;
}

/** Decides whether a task can be taken on: its spec must pass the same schema the API server checks. */
export function judgeTask(task: SreTask): Acceptance {
  const errors = specErrors("SreTask", task.spec);
  if (errors.length > 0)
    return { accepted: false, message: `invalid spec: ${errors.slice(0, 3).join("; ")}` };
  const foreign = foreignTarget(task);
  if (foreign) return { accepted: false, message: foreign };
  const what = task.spec.target
    ? `${task.spec.target.kind} ${task.spec.target.namespace ?? task.metadata.namespace}/${task.spec.target.name}`
    : task.spec.alert
      ? `alert ${task.spec.alert.labels.alertname ?? "?"}`
      : "free-text request";
  return { accepted: true, message: `Accepted ${task.spec.type ?? "Auto"} task about ${what}` };
}

/** True when the task's status already reflects acceptance of its current generation. */
export function isAccepted(task: SreTask): boolean {
  const cond = findCondition(task.status?.conditions, ConditionType.Accepted);
  return cond?.status === "True" && task.status?.observedGeneration === task.metadata.generation;
}

/**
 * Mutates status to record acceptance (or refusal) of the current generation. Later
 * phases (diagnosis, remediation) are never rolled back to Accepted; a new episode starts
 * over from Pending (episode.ts recordReopened) instead.
 */
export function recordAcceptance(
  status: SreTaskStatus,
  task: SreTask,
  verdict: Acceptance,
  now: number,
): void {
  const generation = task.metadata.generation;
  status.observedGeneration = generation;
  // The first episode: which firing of the alert the work is about (docs/adr/0004).
  status.episode ??= 1;
  if (task.spec.alert?.startsAt) status.episodeStartsAt ??= task.spec.alert.startsAt;
  status.conditions = setCondition(
    status.conditions,
    {
      type: ConditionType.Accepted,
      status: verdict.accepted ? "True" : "False",
      reason: verdict.accepted ? Reason.Accepted : Reason.Invalid,
      message: verdict.message,
      observedGeneration: generation,
    },
    now,
  );
  if (!verdict.accepted) {
    status.phase = SreTaskPhase.Failed;
    status.message = verdict.message;
    status.conditions = setCondition(
      status.conditions,
      {
        type: ConditionType.Ready,
        status: "False",
        reason: Reason.Invalid,
        message: verdict.message,
        observedGeneration: generation,
      },
      now,
    );
    return;
  }
  if (!status.phase || status.phase === SreTaskPhase.Pending || status.phase === SreTaskPhase.Failed) {
    status.phase = SreTaskPhase.Accepted;
    status.message = verdict.message;
    status.startTime ??= formatTime(now);
    status.conditions = setCondition(
      status.conditions,
      {
        type: ConditionType.Ready,
        status: "False",
        reason: Reason.Accepted,
        message: "Waiting for diagnosis",
        observedGeneration: generation,
      },
      now,
    );
  }
}
