/**
 * The texts of the robot-webhook chat channels (DingTalk, Feishu/Lark, Slack), one table per
 * language (strings-zh.ts, strings-en.ts). Channel-neutral: a title, a tone and plain lines that
 * each channel formats in its own markup. WeCom keeps its own tables (wecom/strings*.ts) because
 * it also answers chat commands; these channels only notify, so approval points at the CLI.
 */
import type { Lang, NotificationKind } from "../channel.ts";
import type { PlanView, TaskView } from "../views.ts";
import { EN } from "./strings-en.ts";
import { ZH } from "./strings-zh.ts";

/** The texts of one language. */
export interface ChatStrings {
  /** A title per notification kind; Resolved is Remediated when the task's phase is Resolved. */
  title: Record<NotificationKind | "Resolved", string>;
  task: (ref: string) => string;
  phase: (phase: string) => string;
  target: (target: string) => string;
  description: (text: string) => string;
  rootCause: (task: TaskView) => string;
  note: (text: string) => string;
  plan: (plan: PlanView) => string;
  planPhase: (plan: PlanView) => string;
  /** How to decide a plan awaiting approval (the CLI: these channels take no commands). */
  decide: (plan: PlanView) => string;
}

/** The texts of a language. */
export function chatStrings(lang: Lang): ChatStrings {
  return lang === "zh" ? ZH : EN;
}

/** kubectl aisre approve/reject for a plan ref "namespace/name". */
export function decideCommands(planRef: string): { approve: string; reject: string } {
  const [namespace, name] = planRef.split("/");
  return {
    approve: `kubectl aisre approve ${name} -n ${namespace}`,
    reject: `kubectl aisre reject ${name} -n ${namespace} --reason TEXT`,
  };
}
