/**
 * Every user-facing WeCom text, one table per language (strings-zh.ts, strings-en.ts). Replies
 * use the language the user wrote in; notifications the configured one. The tables take safe
 * views (../views.ts), never resources, so no unredacted text can reach a message.
 */
import type { Lang } from "../channel.ts";
import { EN } from "./strings-en.ts";
import { ZH } from "./strings-zh.ts";
import type { PlanView, TaskView } from "../views.ts";

/** The chat commands with a usage text (the sidecar parses them: webhooks/wecom/commands.ts). */
export type CommandName = "diagnose" | "status" | "approve" | "reject";

/** The texts of one language. Plain text for passive replies, markdown for notifications. */
export interface Strings {
  help: string;
  usage: (command: CommandName) => string;
  unsupportedMessage: string;
  /** followUp: whether the result will be sent when the task settles. */
  taskCreated: (taskRef: string, followUp: boolean) => string;
  duplicateMessage: (taskRef: string | undefined) => string;
  /** The reply when the answer takes longer than WeCom waits; followUp: whether it will be sent. */
  working: (followUp: boolean) => string;
  unavailable: string;
  invalid: (field: string | undefined) => string;
  taskNotFound: (taskRef: string) => string;
  taskStatus: (task: TaskView) => string;
  taskList: (tasks: TaskView[]) => string;
  noTasks: string;
  planNotFound: (planRef: string) => string;
  notApprover: (planRef: string) => string;
  approversUnknown: (planRef: string) => string;
  planNotAwaiting: (planRef: string, phase: string) => string;
  planDecided: (planRef: string, decision: "Approved" | "Rejected") => string;
  planConflict: (planRef: string) => string;
  followUpTimedOut: (taskRef: string) => string;
  /** A read (diagnose, status) from a WeCom user that cluster policy maps to no Kubernetes identity. */
  readNotMapped: string;
  /** A read the mapped Kubernetes user may not do: tasks of the namespace (all namespaces when absent). */
  readDenied: (user: string, namespace: string | undefined) => string;
  /** Markdown notifications; also the follow-up a requester gets when the task settles. */
  notify: {
    incidentOpened: (task: TaskView) => string;
    diagnosed: (task: TaskView) => string;
    awaitingApproval: (task: TaskView, plan: PlanView) => string;
    remediated: (task: TaskView, plan: PlanView | undefined) => string;
    failed: (task: TaskView) => string;
  };
  /** The localized name of a phase (unknown phases pass through). */
  phase: (phase: string) => string;
}

/** The texts of a language. */
export function stringsFor(lang: Lang): Strings {
  return lang === "zh" ? ZH : EN;
}
