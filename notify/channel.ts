/**
 * What every notification channel is: a name and a send. WeCom (wecom/) is the first; another
 * channel (DingTalk, Feishu, Slack) is one more folder beside it with a NotificationChannel and
 * a ChannelProvider (routing.ts) for its section of AgentConfig spec.notifications.
 */
import type { RemediationPlan, SreTask } from "../crds/index.ts";

/** The language of a message: Chinese (default) or English. */
export type Lang = "zh" | "en";

/** What happened to a task, worth telling people about (events.ts maps task phases to these). */
export type NotificationKind = "IncidentOpened" | "Diagnosed" | "AwaitingApproval" | "Remediated" | "Failed";

/** A notification: what happened, to which task, with its plan when there is one. */
export interface Notification {
  kind: NotificationKind;
  task: SreTask;
  plan?: RemediationPlan;
}

/**
 * Who gets a notification, in the channel's own ids: users, and groups (WeCom departments, chat
 * groups, channels). Omitted: the recipients the channel was configured with.
 */
export interface Recipients {
  users?: readonly string[];
  groups?: readonly string[];
}

/** One way to tell people: renders a notification in its own format and sends it. */
export interface NotificationChannel {
  /** The channel's name, the key of its section under AgentConfig spec.notifications ("wecom"). */
  readonly name: string;
  /**
   * Sends; true when the channel accepted it. Best effort: a failure is logged (without secrets
   * or message text) and reported as false, never thrown, because the custom resources hold the truth.
   */
  send(notification: Notification, recipients?: Recipients): Promise<boolean>;
}
