/**
 * POSTing JSON to a chat platform's robot webhook, the part DingTalk, Feishu/Lark and Slack share:
 * a timeout, retries with jittered exponential backoff on what the platform calls transient
 * (5xx, 429, network errors, its own "busy"/"too fast" codes; a Retry-After is honoured up to a
 * bound), and none on what is permanent (a bad signature, a deleted robot, an invalid payload),
 * which is surfaced at once. Webhook URLs are secrets (the token is in them): errors name only
 * the host and path without the query, and platform messages are redacted of known secrets.
 */
import { redactKnown } from "../../redact/index.ts";
import type { Logger } from "../log.ts";

/** What the platform answered, as the channel reads it. */
export type Verdict =
  { ok: true } | { ok: false; transient: boolean; code?: string | number; message: string };

/** A verdict that refuses. */
export type Refusal = Extract<Verdict, { ok: false }>;

/** Reads a platform answer (HTTP status and body text) into a verdict. */
export type Judge = (status: number, body: string) => Verdict;

/** A refused or failed post. `code` is the platform's error code when it gave one. */
export class WebhookError extends Error {
  readonly channel: string;
  readonly path: string;
  readonly code: string | number | undefined;
  readonly transient: boolean;

  constructor(
    channel: string,
    path: string,
    verdict: { transient: boolean; code?: string | number; message: string },
  ) {
    super(verdict.message);
    this.name = "WebhookError";
    this.channel = channel;
    this.path = path;
    this.code = verdict.code;
    this.transient = verdict.transient;
  }
}

/** How posts retry. */
export interface RetryOptions {
  /** Tries in all, the first included. Default 3. */
  attempts?: number;
  /** First backoff; doubles each retry, with jitter. Default 500 ms. */
  baseDelayMs?: number;
  /** Longest wait a Retry-After may ask for; longer and the post fails. Default 30 s. */
  maxRetryAfterMs?: number;
  /** Per-request timeout. Default 10 s. */
  timeoutMs?: number;
}

/** One robot webhook. */
export interface WebhookTarget {
  /** dingtalk, feishu, slack: for errors and logs. */
  channel: string;
  logger: Logger;
  fetch?: typeof fetch;
  retry?: RetryOptions;
  /** Values to mask if the platform ever echoes them back. */
  secrets: readonly string[];
  judge: Judge;
  /** The webhook as errors and logs may name it; default host and path (Feishu and Slack mask their path's token). */
  label?: string;
}

/** Host and path of a URL, without the query (DingTalk's access_token) or fragment. */
export function safePath(url: URL): string {
  return `${url.host}${url.pathname}`;
}

/** Host and path with the last path segment (Feishu's hook token, Slack's webhook secret) masked. */
export function maskedPath(url: URL): string {
  return `${url.host}${url.pathname.replace(/\/[^/]*$/, "/***")}`;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

/**
 * POSTs `body()` (rebuilt per attempt, so a signature's timestamp stays fresh) to `url()`;
 * resolves when the platform accepted it, throws a WebhookError otherwise.
 */
export async function postWebhook(
  target: WebhookTarget,
  request: () => { url: URL; body: unknown },
): Promise<void> {
  const retry = {
    attempts: 3,
    baseDelayMs: 500,
    maxRetryAfterMs: 30_000,
    timeoutMs: 10_000,
    ...target.retry,
  };
  const doFetch = target.fetch ?? fetch;
  for (let attempt = 1; ; attempt++) {
    const { url, body } = request();
    const path = target.label ?? safePath(url);
    let error: WebhookError;
    let wait: number | undefined;
    try {
      const response = await doFetch(url, {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(retry.timeoutMs),
      });
      const text = (await response.text()).slice(0, 4096);
      const verdict = target.judge(response.status, text);
      if (verdict.ok) return;
      const message = redactKnown(verdict.message, [...target.secrets]).slice(0, 300);
      error = new WebhookError(target.channel, path, { ...verdict, message });
      if (response.status === 429) wait = retryAfterMs(response.headers.get("retry-after"));
    } catch (err) {
      // fetch errors can quote the URL: keep only the error's name.
      error = new WebhookError(target.channel, path, {
        transient: true,
        message: `request failed (${(err as Error).name})`,
      });
    }
    if (!error.transient || attempt >= retry.attempts) throw error;
    if (wait !== undefined && wait > retry.maxRetryAfterMs) throw error;
    const delay = wait ?? retry.baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
    target.logger.warn(
      { channel: target.channel, path, code: error.code, attempt, error: error.message },
      "Retried a failed chat webhook post",
    );
    await sleep(delay);
  }
}

/** Parses a JSON answer; undefined when it is not a JSON object. */
export function jsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The common part of every judge: 5xx and 429 are transient, other non-2xx permanent. */
export function httpVerdict(status: number, body: string): Refusal | undefined {
  if (status >= 200 && status < 300) return undefined;
  const message = `HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ""}`;
  return { ok: false, transient: status >= 500 || status === 429, code: status, message };
}
