/**
 * The one table from an SreTask phase to the notification it calls for. The notification
 * controller sends each at most once per task episode; chat follow-ups send the settled ones.
 */
import type { RemediationPlan, SreTask } from "../crds/index.ts";
import { SreTaskPhase } from "../crds/index.ts";
import type { Notification, NotificationKind } from "./channel.ts";

type Phase = (typeof SreTaskPhase)[keyof typeof SreTaskPhase];

/** Which notification each phase calls for; phases not listed (Pending, Remediating) call for none. */
export const PHASE_NOTIFICATIONS: Readonly<Partial<Record<Phase, NotificationKind>>> = {
  [SreTaskPhase.Accepted]: "IncidentOpened",
  [SreTaskPhase.Diagnosing]: "IncidentOpened",
  [SreTaskPhase.Diagnosed]: "Diagnosed",
  [SreTaskPhase.AwaitingApproval]: "AwaitingApproval",
  [SreTaskPhase.Succeeded]: "Remediated",
  [SreTaskPhase.Resolved]: "Remediated",
  [SreTaskPhase.Failed]: "Failed",
};

/** Phases after which a requester wants to hear back: every one with a notification but the opening. */
export const SETTLED_PHASES: ReadonlySet<string> = new Set(
  Object.entries(PHASE_NOTIFICATIONS)
    .filter(([, kind]) => kind !== "IncidentOpened")
    .map(([phase]) => phase),
);

/** The notification a task's current phase calls for, with its plan when given; undefined for none. */
export function notificationFor(task: SreTask, plan?: RemediationPlan): Notification | undefined {
  const kind = PHASE_NOTIFICATIONS[(task.status?.phase ?? "") as Phase];
  if (!kind) return undefined;
  return plan ? { kind, task, plan } : { kind, task };
}
