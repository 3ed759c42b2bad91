import type { SreTask } from "../../crds/index.ts";
import { SreTaskPhase } from "../../crds/index.ts";
import { eventForTask, type TaskEvent } from "../../webhooks/wecom/index.ts";

/** Annotation listing the notification kinds already sent for a task, so a restart does not resend them. */
export const NOTIFIED_ANNOTATION = "aisre.io/notified";

const OPENING: readonly string[] = [SreTaskPhase.Accepted, SreTaskPhase.Diagnosing];

/** The notification a task's current phase calls for (incident opened while it is being worked on). */
export function notificationFor(task: SreTask): TaskEvent | undefined {
  if (OPENING.includes(task.status?.phase ?? "")) return { kind: "IncidentOpened", task };
  return eventForTask(task);
}

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
