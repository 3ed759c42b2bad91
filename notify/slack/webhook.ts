/**
 * Posting to a Slack incoming webhook: Block Kit (a header, one mrkdwn section with the lines,
 * escaped so task text cannot make a link or a mention) with `text` as the notification
 * fallback. Slack's incoming webhooks have no request signature: the URL is the credential.
 * Slack answers 200 "ok"; 429 (with Retry-After) and 5xx are retried; 400 invalid_payload /
 * no_text, 403 action_prohibited, 404 no_service / channel_not_found, 410 channel_is_archived
 * are not.
 */
import type { Recipients } from "../channel.ts";
import type { Logger } from "../log.ts";
import type { ChatMessage } from "../templates/message.ts";
import { plainText } from "../templates/message.ts";
import { httpVerdict, maskedPath, postWebhook } from "../templates/webhook.ts";
import type { RetryOptions, Verdict } from "../templates/webhook.ts";

/** Slack caps a section's text at 3000 characters and a header's at 150. */
const SECTION_MAX = 3000;
const HEADER_MAX = 150;

/** Reads Slack's answer. */
export function judgeSlack(status: number, body: string): Verdict {
  const http = httpVerdict(status, body);
  if (http) return { ...http, code: body.trim().slice(0, 64) || status };
  return body.trim() === "ok"
    ? { ok: true }
    : { ok: false, transient: false, message: `answer ${body.slice(0, 100)}` };
}

/** Escapes the three characters Slack's mrkdwn gives meaning to (&, <, >). */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The Block Kit body of a message; users are mentioned as <@U…> (ids checked, never free text). */
export function slackBody(message: ChatMessage, users: readonly string[] = []) {
  const icon = message.tone === "warning" ? ":warning:" : ":white_check_mark:";
  const mentions = users.filter((u) => /^[UW][A-Z0-9]{2,20}$/.test(u)).map((u) => `<@${u}>`);
  const section = cut(escapeMrkdwn(message.lines.join("\n")), SECTION_MAX - 200);
  const blocks: object[] = [
    { type: "header", text: { type: "plain_text", text: cut(`${message.title}`, HEADER_MAX), emoji: true } },
    { type: "section", text: { type: "mrkdwn", text: `${icon} ${section}` } },
  ];
  if (mentions.length)
    blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: mentions.join(" ") }] });
  return { text: cut(escapeMrkdwn(plainText(message)), 4000), blocks };
}

/** One Slack incoming webhook. */
export interface SlackWebhookOptions {
  /** https://hooks.slack.com/services/T…/B…/… (a secret). */
  webhook: URL;
  logger: Logger;
  fetch?: typeof fetch;
  retry?: RetryOptions;
}

/** Posts a message; recipients' users are mentioned. */
export function slackPoster(options: SlackWebhookOptions) {
  const secrets = [options.webhook.pathname.split("/").pop() ?? ""];
  return async (message: ChatMessage, recipients?: Recipients): Promise<void> => {
    const body = slackBody(message, recipients?.users);
    await postWebhook(
      {
        channel: "slack",
        label: maskedPath(options.webhook),
        logger: options.logger,
        fetch: options.fetch,
        retry: options.retry,
        secrets,
        judge: judgeSlack,
      },
      () => ({ url: options.webhook, body }),
    );
  };
}
