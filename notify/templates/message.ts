/**
 * A notification as a channel-neutral chat message: a title, a tone and plain lines, built from
 * the safe views (../views.ts) and redacted once more as a whole, so neither a secret nor a raw
 * log line reaches a message. DingTalk, Feishu/Lark and Slack each format it in their markup.
 */
import type { Lang, Notification } from "../channel.ts";
import { redactText } from "../../redact/index.ts";
import { planView, taskView } from "../views.ts";
import { chatStrings } from "./strings.ts";

/** What a chat message says. */
export interface ChatMessage {
  title: string;
  /** warning: someone should look; good: news that needs nothing. */
  tone: "warning" | "good";
  /** Plain text lines (a line may hold a newline-separated block, e.g. a plan's steps). */
  lines: string[];
}

/** The message of a notification in a language. */
export function chatMessage(event: Notification, lang: Lang): ChatMessage {
  const t = chatStrings(lang);
  const task = taskView(event.task);
  const plan = event.plan ? planView(event.plan) : undefined;
  const head = [t.task(task.ref), t.phase(task.phase), ...(task.target ? [t.target(task.target)] : [])];
  let message: ChatMessage;
  switch (event.kind) {
    case "IncidentOpened":
      message = {
        title: t.title.IncidentOpened,
        tone: "warning",
        lines: [...head, ...(task.description ? [t.description(task.description)] : [])],
      };
      break;
    case "Diagnosed":
      message = { title: t.title.Diagnosed, tone: "good", lines: [...head, t.rootCause(task)] };
      break;
    case "AwaitingApproval":
      message = plan
        ? {
            title: t.title.AwaitingApproval,
            tone: "warning",
            lines: [...head, t.rootCause(task), t.plan(plan), t.decide(plan)],
          }
        : { title: t.title.Diagnosed, tone: "good", lines: [...head, t.rootCause(task)] };
      break;
    case "Remediated":
      message = {
        title: task.phase === "Resolved" ? t.title.Resolved : t.title.Remediated,
        tone: "good",
        lines: [...head, t.rootCause(task), ...(plan ? [t.planPhase(plan)] : [])],
      };
      break;
    case "Failed":
      message = {
        title: t.title.Failed,
        tone: "warning",
        lines: [...head, ...(task.message ? [t.note(task.message)] : [])],
      };
      break;
  }
  return { ...message, title: redactText(message.title), lines: message.lines.map((l) => redactText(l)) };
}

/** The message as plain text: the title, then the lines. */
export function plainText(message: ChatMessage): string {
  return [message.title, ...message.lines].join("\n");
}
