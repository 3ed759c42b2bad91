/**
 * Notification templates: incident opened, diagnosed, remediation awaiting approval, remediated
 * (and failed), as WeCom markdown in Chinese or English. Built from safe views and redacted once
 * more as a whole, so neither a secret nor a raw log line can reach a message.
 */
import type { RemediationPlan, SreTask } from "../../crds/index.ts";
import { SreTaskPhase } from "../../crds/index.ts";
import { redact } from "../redact.ts";
import type { Lang } from "./commands.ts";
import { stringsFor } from "./strings.ts";
import { planView, taskView } from "./views.ts";

/** What happened to a task, worth telling people about. */
export type TaskEventKind = "IncidentOpened" | "Diagnosed" | "AwaitingApproval" | "Remediated" | "Failed";

/** A notification: what happened, to which task, with its plan when there is one. */
export interface TaskEvent {
  kind: TaskEventKind;
  task: SreTask;
  plan?: RemediationPlan;
}

/** Renders a notification as markdown in a language. */
export function renderNotification(event: TaskEvent, lang: Lang): string {
  const t = stringsFor(lang).notify;
  const task = taskView(event.task);
  const plan = event.plan ? planView(event.plan) : undefined;
  let text: string;
  switch (event.kind) {
    case "IncidentOpened":
      text = t.incidentOpened(task);
      break;
    case "Diagnosed":
      text = t.diagnosed(task);
      break;
    case "AwaitingApproval":
      text = plan ? t.awaitingApproval(task, plan) : t.diagnosed(task);
      break;
    case "Remediated":
      text = t.remediated(task, plan);
      break;
    case "Failed":
      text = t.failed(task);
      break;
  }
  return redact(text);
}

/** Phases after which a requester wants to hear back. */
export const SETTLED_PHASES: ReadonlySet<string> = new Set([
  SreTaskPhase.Diagnosed,
  SreTaskPhase.AwaitingApproval,
  SreTaskPhase.Succeeded,
  SreTaskPhase.Failed,
  SreTaskPhase.Resolved,
]);

/** The event a task's current phase amounts to, or undefined while it is still in progress. */
export function eventForTask(task: SreTask, plan?: RemediationPlan): TaskEvent | undefined {
  const base = plan ? { task, plan } : { task };
  switch (task.status?.phase) {
    case SreTaskPhase.Diagnosed:
      return { kind: "Diagnosed", ...base };
    case SreTaskPhase.AwaitingApproval:
      return { kind: "AwaitingApproval", ...base };
    case SreTaskPhase.Succeeded:
    case SreTaskPhase.Resolved:
      return { kind: "Remediated", ...base };
    case SreTaskPhase.Failed:
      return { kind: "Failed", ...base };
    default:
      return undefined;
  }
}
