/**
 * The two ways to post markdown to WeCom: the application message API (to users or departments)
 * and a group robot webhook (to its group).
 */
import type { Logger } from "../log.ts";
import { AccessTokenCache } from "./token.ts";
import { ERR_TOKEN, WeComApiError, postJson, retryDefaults, truncateBytes } from "./wecom-api.ts";
import type { ApiContext, RetryOptions } from "./wecom-api.ts";

/** Who receives an application message: user ids and/or department ids joined by "|". */
export interface Recipients {
  toUser?: string;
  toParty?: string;
}

/** Posts markdown somewhere in WeCom. */
export interface WeComSender {
  readonly mode: "app" | "robot";
  /** Sends; throws WeComApiError when WeCom refused it after retries. */
  sendMarkdown(content: string, to?: Recipients): Promise<void>;
}

/** Common transport options. */
export interface SenderOptions {
  logger: Logger;
  fetch?: typeof fetch;
  retry?: RetryOptions;
}

/** WeCom caps application markdown at 2048 bytes and robot markdown at 4096. */
const APP_MARKDOWN_BYTES = 2048;
const ROBOT_MARKDOWN_BYTES = 4096;

/** Options of the application sender. */
export interface AppSenderOptions extends SenderOptions {
  /** https://qyapi.weixin.qq.com, or a stand-in in tests. */
  apiBase: string;
  corpId: string;
  corpSecret: string;
  agentId: number;
  tokenMarginSeconds?: number;
  now?: () => number;
}

/** Sends through POST /cgi-bin/message/send with a cached access token. */
export class AppSender implements WeComSender {
  readonly mode = "app" as const;
  readonly #ctx: ApiContext;
  readonly #options: AppSenderOptions;
  readonly #tokens: AccessTokenCache;

  constructor(options: AppSenderOptions) {
    this.#options = options;
    this.#ctx = {
      fetch: options.fetch ?? fetch,
      logger: options.logger,
      retry: retryDefaults(options.retry),
      secrets: () => [options.corpSecret, this.#tokens.current()],
    };
    this.#tokens = new AccessTokenCache(this.#ctx, {
      apiBase: options.apiBase,
      corpId: options.corpId,
      corpSecret: options.corpSecret,
      marginSeconds: options.tokenMarginSeconds,
      now: options.now,
    });
  }

  /** Sends markdown to the recipients; refreshes the token once when WeCom says it expired. */
  async sendMarkdown(content: string, to: Recipients = {}): Promise<void> {
    if (!to.toUser && !to.toParty) throw new Error("an application message needs toUser or toParty");
    const body = {
      touser: to.toUser,
      toparty: to.toParty,
      msgtype: "markdown",
      agentid: this.#options.agentId,
      markdown: { content: truncateBytes(content, APP_MARKDOWN_BYTES) },
    };
    for (let refreshed = false; ; refreshed = true) {
      const token = await this.#tokens.get();
      const url = new URL("/cgi-bin/message/send", this.#options.apiBase);
      url.searchParams.set("access_token", token);
      try {
        const reply = await postJson(this.#ctx, url, body);
        if (reply.invaliduser || reply.invalidparty) {
          const { invaliduser, invalidparty } = reply;
          this.#options.logger.warn(
            { invaliduser, invalidparty },
            "Sent a WeCom message with unknown recipients",
          );
        }
        return;
      } catch (err) {
        if (refreshed || !(err instanceof WeComApiError) || !ERR_TOKEN.has(err.errcode ?? 0)) throw err;
        this.#options.logger.info({ errcode: err.errcode }, "Refreshed a rejected WeCom access token");
        this.#tokens.invalidate(token);
      }
    }
  }
}

/** Options of the robot sender. */
export interface RobotSenderOptions extends SenderOptions {
  /** https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… (a secret: it alone grants posting). */
  webhookUrl: string;
}

/** Sends through a group robot webhook. */
export class RobotSender implements WeComSender {
  readonly mode = "robot" as const;
  readonly #ctx: ApiContext;
  readonly #url: URL;

  constructor(options: RobotSenderOptions) {
    this.#url = new URL(options.webhookUrl);
    this.#ctx = {
      fetch: options.fetch ?? fetch,
      logger: options.logger,
      retry: retryDefaults(options.retry),
      secrets: () => [options.webhookUrl, this.#url.searchParams.get("key") ?? undefined],
    };
  }

  /** Posts markdown to the robot's group; user ids in `to.toUser` are @-mentioned. */
  async sendMarkdown(content: string, to: Recipients = {}): Promise<void> {
    const mentions = (to.toUser ?? "")
      .split("|")
      .filter((u) => u !== "@all" && /^[A-Za-z0-9_.@-]{1,64}$/.test(u))
      .map((u) => `<@${u}>`)
      .join(" ");
    const text = mentions ? `${mentions}\n${content}` : content;
    await postJson(this.#ctx, this.#url, {
      msgtype: "markdown",
      markdown: { content: truncateBytes(text, ROBOT_MARKDOWN_BYTES) },
    });
  }
}
