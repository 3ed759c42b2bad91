/**
 * Episodes of an alert task (docs/adr/0004): the same Alertmanager fingerprint can fire,
 * resolve and fire again; each firing the task works on is one episode with its own
 * DiagnosisRun and RemediationPlan. Pure functions, so the decision is unit-tested.
 */
import type { SreTask, SreTaskStatus } from "../../crds/index.ts";
import { ConditionType, LIMITS, Reason, SreTaskPhase } from "../../crds/index.ts";
import { MAX_EPISODE } from "../../crds/sretask.ts";
import { setCondition } from "../../runtime/index.ts";

/** Phases in which an episode's work is over (or waits for nothing the operator owns): a newer firing may reopen. */
const SETTLED: readonly string[] = [
  SreTaskPhase.Diagnosed,
  SreTaskPhase.Succeeded,
  SreTaskPhase.Failed,
  SreTaskPhase.Resolved,
];

/** Conditions that describe one episode's work; a new episode starts without them. */
const PER_EPISODE: readonly string[] = [
  ConditionType.Accepted,
  ConditionType.Classified,
  ConditionType.Diagnosed,
  ConditionType.Remediated,
];

/** The episode the task's status is about (1 when never reopened). */
export function episodeOf(task: SreTask): number {
  return task.status?.episode ?? 1;
}

/**
 * The name of a child (DiagnosisRun, RemediationPlan) of a task's episode: the task's own
 * name for episode 1 (as before episodes existed), `${task}-e${n}` after, kept within 253
 * characters and ending in an alphanumeric.
 */
export function episodeName(taskName: string, episode: number): string {
  if (episode <= 1) return taskName;
  const suffix = `-e${episode}`;
  return `${taskName.slice(0, LIMITS.name - suffix.length).replace(/[.-]+$/, "")}${suffix}`;
}

/** The DiagnosisRun of the task's current episode: the one status names, else the episode's name. */
export function currentRunName(task: SreTask): string {
  return task.status?.diagnosisRunRef?.name ?? episodeName(task.metadata.name ?? "", episodeOf(task));
}

/** The RemediationPlan of the task's current episode: the one status names, else the episode's name. */
export function currentPlanName(task: SreTask): string {
  return task.status?.remediationPlanRef?.name ?? episodeName(task.metadata.name ?? "", episodeOf(task));
}

const time = (t: string | undefined): number => (t ? Date.parse(t) : NaN);

/**
 * True when the task's alert fires in a new episode: the alert is firing, the current episode
 * is settled (Diagnosed, Succeeded, Failed, Resolved: work in flight is never abandoned), and
 * the alert started strictly after the episode's firing did. Without both start times, only a
 * Resolved task whose spec changed since it resolved (a newer generation) reopens.
 */
export function isNewEpisode(task: SreTask): boolean {
  const alert = task.spec.alert;
  const status = task.status;
  if (!alert || (alert.status ?? "firing") !== "firing") return false;
  if (!status || !SETTLED.includes(status.phase ?? "")) return false;
  if ((status.episode ?? 1) >= MAX_EPISODE) return false;
  const started = time(alert.startsAt);
  const episodeStarted = time(status.episodeStartsAt);
  if (Number.isFinite(started) && Number.isFinite(episodeStarted)) return started > episodeStarted;
  return (
    status.phase === SreTaskPhase.Resolved &&
    (task.metadata.generation ?? 0) > (status.observedGeneration ?? 0)
  );
}

/** The Event and status message of a reopened task. */
export function reopenedMessage(task: SreTask): string {
  return `Reopened for a new firing of ${task.spec.alert?.labels.alertname ?? "the alert"}`;
}

/**
 * The status of a task's new episode, or undefined when the task is not in a new one (so a
 * retry on a fresher object never reopens twice): episode + 1, the generation and alert start
 * it observed, phase Pending, and nothing of the last episode (classification, root cause,
 * run and plan refs, times, per-episode conditions). Ready and AlertResolved turn False.
 */
export function recordReopened(status: SreTaskStatus, task: SreTask, now: number): SreTaskStatus | undefined {
  if (!isNewEpisode({ ...task, status })) return undefined;
  const generation = task.metadata.generation;
  const message = reopenedMessage(task);
  const startsAt = task.spec.alert?.startsAt;
  let conditions = (status.conditions ?? []).filter((c) => !PER_EPISODE.includes(c.type));
  conditions = setCondition(
    conditions,
    {
      type: ConditionType.AlertResolved,
      status: "False",
      reason: Reason.AlertFiring,
      message: startsAt ? `firing since ${startsAt}` : "firing",
      observedGeneration: generation,
    },
    now,
  );
  conditions = setCondition(
    conditions,
    {
      type: ConditionType.Ready,
      status: "False",
      reason: Reason.Reopened,
      message,
      observedGeneration: generation,
    },
    now,
  );
  return {
    phase: SreTaskPhase.Pending,
    message,
    ...(generation !== undefined ? { observedGeneration: generation } : {}),
    episode: (status.episode ?? 1) + 1,
    ...(startsAt ? { episodeStartsAt: startsAt } : {}),
    conditions,
  };
}
