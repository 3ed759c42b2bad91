/**
 * The NotificationChannel of a robot-webhook platform (DingTalk, Feishu/Lark, Slack): renders the
 * notification as a ChatMessage in the channel's language and hands it to the platform's poster.
 * Best effort like every channel: a failure is logged with the platform's code and the webhook's
 * host/path only (never the URL's token or a signature) and reported as false.
 */
import { redactText } from "../../redact/index.ts";
import type { Lang, Notification, NotificationChannel, Recipients } from "../channel.ts";
import type { Logger } from "../log.ts";
import { NotificationConfigError, requireSecret } from "../routing.ts";
import type { SecretKey, SecretReader } from "../routing.ts";
import { chatMessage } from "./message.ts";
import type { ChatMessage } from "./message.ts";
import { WebhookError } from "./webhook.ts";

/** Posts one message to a platform; throws (a WebhookError) when the platform refused it. */
export type Poster = (message: ChatMessage, recipients?: Recipients) => Promise<void>;

/** What a robot channel is made of. */
export interface RobotChannelOptions {
  /** The section under spec.notifications: dingtalk, feishu, slack. */
  name: string;
  lang: Lang;
  logger: Logger;
  post: Poster;
}

/** A chat platform reached through a robot webhook. */
export class RobotChannel implements NotificationChannel {
  readonly name: string;
  readonly #options: RobotChannelOptions;

  constructor(options: RobotChannelOptions) {
    this.name = options.name;
    this.#options = options;
  }

  /** Renders and posts; true when the platform accepted it. */
  async send(notification: Notification, recipients?: Recipients): Promise<boolean> {
    const { logger, lang, post } = this.#options;
    const context = { channel: this.name, event: notification.kind, task: notification.task.metadata.name };
    try {
      await post(chatMessage(notification, lang), recipients);
      logger.info(context, "Sent a chat notification");
      return true;
    } catch (err) {
      const fields =
        err instanceof WebhookError
          ? { code: err.code, path: err.path, transient: err.transient, error: err.message }
          : { error: redactText((err as Error).message) };
      logger.error({ ...context, ...fields }, "Failed to send a chat notification");
      return false;
    }
  }
}

/** A Secret value that must be an http(s) URL (a webhook), or a NotificationConfigError naming the reference. */
export async function requireWebhookUrl(
  secrets: SecretReader,
  namespace: string,
  ref: SecretKey,
  field: string,
): Promise<URL> {
  const value = await requireSecret(secrets, namespace, ref, field);
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:"))
    throw new NotificationConfigError(
      `${field}: Secret ${namespace}/${ref.name} key ${ref.key} is not an http(s) URL`,
    );
  return url;
}
