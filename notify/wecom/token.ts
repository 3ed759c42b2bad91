/**
 * The application access token (GET /cgi-bin/gettoken): cached for its lifetime minus a margin,
 * fetched by one request however many callers wait, and dropped when WeCom says it is invalid.
 */
import { callWeCom } from "./wecom-api.ts";
import type { ApiContext } from "./wecom-api.ts";

/** Where and as whom to get tokens. */
export interface TokenSource {
  apiBase: string;
  corpId: string;
  corpSecret: string;
  /** Renew this long before WeCom's expires_in runs out. Default 300 s. */
  marginSeconds?: number;
  now?: () => number;
}

/** A cached access token of one application. */
export class AccessTokenCache {
  readonly #ctx: ApiContext;
  readonly #source: TokenSource;
  readonly #now: () => number;
  #token: { value: string; expires: number } | undefined;
  #pending: Promise<string> | undefined;

  constructor(ctx: ApiContext, source: TokenSource) {
    this.#ctx = ctx;
    this.#source = source;
    this.#now = source.now ?? Date.now;
  }

  /** The current token, fetching a new one when none is cached or it is about to expire. */
  get(): Promise<string> {
    if (this.#token && this.#token.expires > this.#now()) return Promise.resolve(this.#token.value);
    this.#pending ??= this.#fetch().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  /** Forgets a token WeCom rejected, unless a newer one already replaced it. */
  invalidate(token: string): void {
    if (this.#token?.value === token) this.#token = undefined;
  }

  /** The token currently cached, for masking in logs. */
  current(): string | undefined {
    return this.#token?.value;
  }

  async #fetch(): Promise<string> {
    const url = new URL("/cgi-bin/gettoken", this.#source.apiBase);
    url.searchParams.set("corpid", this.#source.corpId);
    url.searchParams.set("corpsecret", this.#source.corpSecret);
    const reply = await callWeCom(this.#ctx, url);
    const token = reply.access_token;
    const expiresIn = typeof reply.expires_in === "number" ? reply.expires_in : 7200;
    if (typeof token !== "string" || token === "") throw new Error("gettoken answered without access_token");
    const margin = Math.min(this.#source.marginSeconds ?? 300, expiresIn / 2);
    this.#token = { value: token, expires: this.#now() + (expiresIn - margin) * 1000 };
    this.#ctx.logger.info({ expiresIn }, "Fetched a WeCom access token");
    return token;
  }
}
