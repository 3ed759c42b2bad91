/**
 * Posting to a Feishu/Lark custom bot: a rich-text (post) message, so text from tasks is never
 * read as markup, with @-mentions as at elements (open ids, or all), signed when a secret is
 * set. Feishu answers {"code":0,"data":{},"msg":"success"}; its frequency limit (11232) and 5xx
 * are retried, every other code (19021 bad signature or stale timestamp, 19024 keyword, 9499
 * bad request, 19001 bad token, …) is not.
 */
import type { Lang, Recipients } from "../channel.ts";
import type { Logger } from "../log.ts";
import type { ChatMessage } from "../templates/message.ts";
import { httpVerdict, maskedPath, jsonObject, postWebhook } from "../templates/webhook.ts";
import type { RetryOptions, Verdict } from "../templates/webhook.ts";
import { signature } from "./sign.ts";

const TRANSIENT = new Set([11232]);

/** Who to @-mention: open ids (ou_…), or everyone. */
export interface FeishuAt {
  userIds?: readonly string[];
  all?: boolean;
}

/** Reads Feishu's answer (older bots answer StatusCode/StatusMessage; newer code/msg). */
export function judgeFeishu(status: number, body: string): Verdict {
  const reply = jsonObject(body);
  const code =
    typeof reply?.code === "number"
      ? reply.code
      : typeof reply?.StatusCode === "number"
        ? reply.StatusCode
        : undefined;
  const http = httpVerdict(status, body);
  if (http)
    return code === undefined
      ? http
      : { ...http, code, message: `code ${code}: ${String(reply?.msg ?? "")}` };
  if (!reply) return { ok: false, transient: false, message: "answer is not JSON" };
  if (!code) return { ok: true };
  const msg = String(reply.msg ?? reply.StatusMessage ?? "");
  return { ok: false, transient: TRANSIENT.has(code), code, message: `code ${code}: ${msg}` };
}

/** The post (rich text) body of a message, in the language's locale. */
export function feishuBody(message: ChatMessage, lang: Lang, at: FeishuAt = {}) {
  const rows: object[][] = message.lines.flatMap((l) => l.split("\n")).map((text) => [{ tag: "text", text }]);
  const mentions = [
    ...(at.userIds ?? []).map((id) => ({ tag: "at", user_id: id })),
    ...(at.all ? [{ tag: "at", user_id: "all" }] : []),
  ];
  if (mentions.length) rows.push(mentions);
  return {
    msg_type: "post",
    content: { post: { [lang === "zh" ? "zh_cn" : "en_us"]: { title: message.title, content: rows } } },
  };
}

/** One Feishu/Lark bot. */
export interface FeishuBotOptions {
  /** https://open.feishu.cn/open-apis/bot/v2/hook/… (a secret). */
  webhook: URL;
  secret?: string;
  lang: Lang;
  at?: FeishuAt;
  logger: Logger;
  fetch?: typeof fetch;
  retry?: RetryOptions;
  now?: () => number;
}

/** Posts a message to the bot; recipients' users are @-mentioned as open ids. */
export function feishuPoster(options: FeishuBotOptions) {
  const now = options.now ?? Date.now;
  const hookToken = options.webhook.pathname.split("/").pop() ?? "";
  const secrets = [hookToken, options.secret ?? ""];
  return async (message: ChatMessage, recipients?: Recipients): Promise<void> => {
    const at: FeishuAt = recipients?.users?.length ? { userIds: recipients.users } : (options.at ?? {});
    const body = feishuBody(message, options.lang, at);
    await postWebhook(
      {
        channel: "feishu",
        label: maskedPath(options.webhook),
        logger: options.logger,
        fetch: options.fetch,
        retry: options.retry,
        secrets,
        judge: judgeFeishu,
      },
      // Signed per attempt: a retry carries a fresh timestamp.
      () => ({ url: options.webhook, body: { ...signature(options.secret, now()), ...body } }),
    );
  };
}
