/**
 * Posting to a DingTalk custom robot: a markdown message (title for the notification preview,
 * text with the lines), @-mentions by mobile number or user id (DingTalk highlights a mention
 * only when the text names it), signed when a secret is set. DingTalk answers HTTP 200 with
 * {"errcode":0,"errmsg":"ok"}; errcode -1 (busy) and its rate limits (130101, 410100) are
 * retried, every other errcode (310000 bad signature or keyword, 300001 unknown token, …) is not.
 */
import type { Recipients } from "../channel.ts";
import type { Logger } from "../log.ts";
import type { ChatMessage } from "../templates/message.ts";
import { httpVerdict, jsonObject, postWebhook } from "../templates/webhook.ts";
import type { RetryOptions, Verdict } from "../templates/webhook.ts";
import { signedUrl } from "./sign.ts";

/** errcodes DingTalk means as "try again later". */
const TRANSIENT = new Set([-1, 130101, 410100]);
/** DingTalk caps markdown text at 20000 bytes; far below that a notification is unreadable anyway. */
const MAX_TEXT = 4000;

/** Who to @-mention. */
export interface DingTalkAt {
  atMobiles?: readonly string[];
  atUserIds?: readonly string[];
  isAtAll?: boolean;
}

/** Reads DingTalk's answer. */
export function judgeDingTalk(status: number, body: string): Verdict {
  const http = httpVerdict(status, body);
  if (http) return http;
  const reply = jsonObject(body);
  if (!reply) return { ok: false, transient: false, message: "answer is not JSON" };
  const errcode = typeof reply.errcode === "number" ? reply.errcode : 0;
  if (errcode === 0) return { ok: true };
  return {
    ok: false,
    transient: TRANSIENT.has(errcode),
    code: errcode,
    message: `errcode ${errcode}: ${String(reply.errmsg ?? "")}`,
  };
}

/** The markdown body of a message. */
export function dingtalkBody(message: ChatMessage, at: DingTalkAt = {}) {
  const mentions = [...(at.atMobiles ?? []), ...(at.atUserIds ?? [])].map((m) => `@${m}`).join(" ");
  const lines = message.lines.flatMap((l) => l.split("\n"));
  let text = [`#### ${message.title}`, ...lines].join("\n\n");
  if (text.length > MAX_TEXT) text = `${text.slice(0, MAX_TEXT - 1)}…`;
  if (mentions) text += `\n\n${mentions}`;
  return {
    msgtype: "markdown",
    markdown: { title: message.title, text },
    at: { atMobiles: [...(at.atMobiles ?? [])], atUserIds: [...(at.atUserIds ?? [])], isAtAll: !!at.isAtAll },
  };
}

/** One DingTalk robot. */
export interface DingTalkRobotOptions {
  /** https://oapi.dingtalk.com/robot/send?access_token=… (a secret). */
  webhook: URL;
  /** The 加签 secret (SEC…), when the robot has signing on. */
  secret?: string;
  at?: DingTalkAt;
  logger: Logger;
  fetch?: typeof fetch;
  retry?: RetryOptions;
  now?: () => number;
}

/** Posts a message to the robot; recipients' users are @-mentioned as user ids. */
export function dingtalkPoster(options: DingTalkRobotOptions) {
  const now = options.now ?? Date.now;
  const secrets = [options.webhook.searchParams.get("access_token") ?? "", options.secret ?? ""];
  return async (message: ChatMessage, recipients?: Recipients): Promise<void> => {
    const at: DingTalkAt = recipients?.users?.length
      ? { atUserIds: recipients.users, isAtAll: false }
      : (options.at ?? {});
    const body = dingtalkBody(message, at);
    await postWebhook(
      {
        channel: "dingtalk",
        logger: options.logger,
        fetch: options.fetch,
        retry: options.retry,
        secrets,
        judge: judgeDingTalk,
      },
      // Signed per attempt: a retry carries a fresh timestamp.
      () => ({ url: signedUrl(options.webhook, options.secret, now()), body }),
    );
  };
}
