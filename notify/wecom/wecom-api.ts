/**
 * JSON calls to the WeCom server API with a timeout and retries on "system busy" (errcode -1),
 * 5xx and network errors. URLs carry secrets (access_token, corpsecret, robot key), so errors
 * name only the path and log nothing but the errcode and a redacted errmsg.
 */
import type { Logger } from "../log.ts";
import { redactKnown } from "../../redact/index.ts";

/** errcode of "system busy, retry". */
export const ERR_BUSY = -1;
/** errcodes meaning the access token is invalid or expired: refresh it once and retry. */
export const ERR_TOKEN = new Set([40014, 42001]);

/** A WeCom API answer with a non-zero errcode, or a transport failure (errcode undefined). */
export class WeComApiError extends Error {
  readonly errcode: number | undefined;
  readonly path: string;

  constructor(path: string, errcode: number | undefined, message: string) {
    super(message);
    this.name = "WeComApiError";
    this.path = path;
    this.errcode = errcode;
  }
}

/** How calls retry. */
export interface RetryOptions {
  /** Tries in all, the first included. Default 3. */
  attempts?: number;
  /** First backoff; doubles each retry, with jitter. Default 500 ms. */
  baseDelayMs?: number;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number;
}

/** Everything a caller needs to reach the API. */
export interface ApiContext {
  fetch: typeof fetch;
  logger: Logger;
  retry: Required<RetryOptions>;
  /** Values to mask if WeCom ever echoes them back in an errmsg. */
  secrets: () => (string | undefined)[];
}

/** Fills in retry defaults. */
export function retryDefaults(options: RetryOptions = {}): Required<RetryOptions> {
  return { attempts: 3, baseDelayMs: 500, timeoutMs: 10_000, ...options };
}

interface WeComReply {
  errcode?: number;
  errmsg?: string;
  [key: string]: unknown;
}

/** Host and path of a URL, without the query that holds access_token, corpsecret or a robot key. */
export function safePath(url: URL): string {
  return `${url.host}${url.pathname}`;
}

async function callOnce(ctx: ApiContext, url: URL, init: RequestInit): Promise<WeComReply> {
  const path = safePath(url);
  let response: Response;
  try {
    response = await ctx.fetch(url, { ...init, signal: AbortSignal.timeout(ctx.retry.timeoutMs) });
  } catch (err) {
    // fetch errors can quote the URL: keep only the error name.
    throw new WeComApiError(path, undefined, `request failed (${(err as Error).name})`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new WeComApiError(path, undefined, `HTTP ${response.status}`);
  }
  let reply: WeComReply;
  try {
    reply = (await response.json()) as WeComReply;
  } catch {
    throw new WeComApiError(path, undefined, "answer is not JSON");
  }
  if (typeof reply !== "object" || reply === null)
    throw new WeComApiError(path, undefined, "answer is not an object");
  const errcode = typeof reply.errcode === "number" ? reply.errcode : 0;
  if (errcode !== 0) {
    const errmsg = redactKnown(String(reply.errmsg ?? ""), ctx.secrets()).slice(0, 300);
    throw new WeComApiError(path, errcode, `errcode ${errcode}: ${errmsg}`);
  }
  return reply;
}

function retryable(err: unknown): boolean {
  if (!(err instanceof WeComApiError)) return false;
  return err.errcode === ERR_BUSY || err.errcode === undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls the API, retrying with exponential backoff while WeCom is busy or unreachable. */
export async function callWeCom(ctx: ApiContext, url: URL, init: RequestInit = {}): Promise<WeComReply> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await callOnce(ctx, url, init);
    } catch (err) {
      if (!retryable(err) || attempt >= ctx.retry.attempts) throw err;
      const delay = ctx.retry.baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
      const { errcode, path, message } = err as WeComApiError;
      ctx.logger.warn({ errcode, path, attempt, error: message }, "Retried a busy or failed WeCom API call");
      await sleep(delay);
    }
  }
}

/** POSTs a JSON body. */
export function postJson(ctx: ApiContext, url: URL, body: unknown): Promise<WeComReply> {
  return callWeCom(ctx, url, {
    method: "POST",
    headers: { "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify(body),
  });
}

/** Cuts text to at most maxBytes of UTF-8 on a character boundary, marking the cut with "…". */
export function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, "utf8") <= maxBytes) return text;
  let out = "";
  let bytes = 0;
  const budget = maxBytes - Buffer.byteLength("…", "utf8");
  for (const ch of text) {
    const size = Buffer.byteLength(ch, "utf8");
    if (bytes + size > budget) break;
    out += ch;
    bytes += size;
  }
  return `${out}…`;
}
