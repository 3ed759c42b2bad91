/**
 * The bookkeeping of sent notifications on the task (which notification a phase calls for is
 * notify/events.ts's table).
 */
import type { SreTask } from "../../crds/index.ts";
import type { Notification } from "../../notify/index.ts";

/** Annotation listing the notification kinds already sent for a task, so a restart does not resend them. */
export const NOTIFIED_ANNOTATION = "aisre.io/notified";

/** The notification kinds already sent for a task. */
export function notifiedKinds(task: SreTask): string[] {
  return (task.metadata.annotations?.[NOTIFIED_ANNOTATION] ?? "").split(",").filter(Boolean);
}

/** The token recording that `kind` was sent in the task's current episode (bare in episode 1). */
export function notifiedToken(task: SreTask, kind: string): string {
  const episode = task.status?.episode ?? 1;
  return episode > 1 ? `${kind}#${episode}` : kind;
}

/** The annotation value after sending `token`: earlier episodes' tokens are dropped (they never recur). */
export function notifiedValue(task: SreTask, sent: readonly string[], token: string): string {
  const episode = task.status?.episode ?? 1;
  const episodeOf = (t: string) => Number(t.split("#")[1] ?? 1);
  return [...new Set([...sent.filter((t) => episodeOf(t) === episode), token])].join(",");
}

/**
 * The notification to send now: the current phase's, except that a task already Diagnosed
 * whose incident was never announced announces it first (the Diagnosed one follows on the next
 * reconcile). A task's first step is one write, so the cache may show it Diagnosed before this
 * controller saw it open. Grouped alert storms are left to their gate (one message per storm).
 */
export function dueNotification(
  task: SreTask,
  current: Notification,
  sent: readonly string[],
  grouped: boolean,
): Notification {
  if (grouped || current.kind !== "Diagnosed") return current;
  return sent.includes(notifiedToken(task, "IncidentOpened")) ? current : { kind: "IncidentOpened", task };
}
