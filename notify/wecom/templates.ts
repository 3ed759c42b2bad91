/**
 * Notification templates: incident opened, diagnosed, remediation awaiting approval, remediated
 * (and failed), as WeCom markdown in Chinese or English. Built from safe views and redacted once
 * more as a whole, so neither a secret nor a raw log line can reach a message.
 */
import type { Lang, Notification } from "../channel.ts";
import { redactText } from "../../redact/index.ts";
import { planView, taskView } from "../views.ts";
import { stringsFor } from "./strings.ts";

/** Renders a notification as markdown in a language. */
export function renderNotification(event: Notification, lang: Lang): string {
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
  return redactText(text);
}
