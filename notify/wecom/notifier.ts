/**
 * The WeCom notification client: task events as markdown to the configured recipients, and
 * direct messages to one user (chat follow-ups). Best effort: a failed notification is logged
 * and reported as false, never thrown, because the custom resources hold the truth.
 */
import type { Lang, Notification, NotificationChannel, Recipients as ChannelRecipients } from "../channel.ts";
import type { Logger } from "../log.ts";
import { redactText } from "../../redact/index.ts";
import type { Recipients, WeComSender } from "./senders.ts";
import { renderNotification } from "./templates.ts";
import { WeComApiError } from "./wecom-api.ts";

/** Options of the notifier. */
export interface NotifierOptions {
  sender: WeComSender;
  logger: Logger;
  /** Language of notifications. Default zh. */
  lang?: Lang;
  /** Default recipients of notifications (app mode; robot mode @-mentions toUser), e.g. from AgentConfig notifications.wecom. */
  to?: Recipients;
}

/** Sends task notifications and chat follow-ups through one WeCom sender: the WeCom channel. */
export class WeComNotifier implements NotificationChannel {
  readonly name = "wecom";
  readonly #sender: WeComSender;
  readonly #logger: Logger;
  readonly #lang: Lang;
  readonly #to: Recipients;

  constructor(options: NotifierOptions) {
    this.#sender = options.sender;
    this.#logger = options.logger;
    this.#lang = options.lang ?? "zh";
    this.#to = options.to ?? {};
  }

  /** app or robot. */
  get mode(): "app" | "robot" {
    return this.#sender.mode;
  }

  /** Notifies about a task event; recipients default to the configured ones. */
  async notify(event: Notification, options: { to?: Recipients; lang?: Lang } = {}): Promise<boolean> {
    const to = options.to ?? this.#to;
    if (this.#sender.mode === "app" && !to.toUser && !to.toParty) {
      this.#logger.warn({ event: event.kind }, "Skipped a WeCom notification without recipients");
      return false;
    }
    const content = renderNotification(event, options.lang ?? this.#lang);
    return this.#send(content, to, { event: event.kind, task: event.task.metadata.name });
  }

  /** The channel's send: recipients as WeCom ids (users → touser, groups → toparty), else the configured ones. */
  send(notification: Notification, recipients?: ChannelRecipients): Promise<boolean> {
    return this.notify(notification, recipients ? { to: wecomRecipients(recipients) } : {});
  }

  /** Sends markdown to one WeCom user (in robot mode: to the group, mentioning the user). */
  sendToUser(userId: string, markdown: string): Promise<boolean> {
    return this.#send(redactText(markdown), { toUser: userId }, { user: userId });
  }

  async #send(content: string, to: Recipients, context: Record<string, unknown>): Promise<boolean> {
    try {
      await this.#sender.sendMarkdown(content, to);
      this.#logger.info({ ...context, mode: this.#sender.mode }, "Sent a WeCom message");
      return true;
    } catch (err) {
      const fields =
        err instanceof WeComApiError
          ? { errcode: err.errcode, path: err.path, error: err.message }
          : { error: redactText((err as Error).message) };
      this.#logger.error(
        { ...context, ...fields, mode: this.#sender.mode },
        "Failed to send a WeCom message",
      );
      return false;
    }
  }
}

/** Channel recipients as WeCom's touser/toparty ("|"-joined ids). */
export function wecomRecipients(recipients: ChannelRecipients): Recipients {
  const to: Recipients = {};
  if (recipients.users?.length) to.toUser = recipients.users.join("|");
  if (recipients.groups?.length) to.toParty = recipients.groups.join("|");
  return to;
}
