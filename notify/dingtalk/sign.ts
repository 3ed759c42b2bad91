/**
 * DingTalk custom robot signing (安全设置 → 加签): the string to sign is timestamp + "\n" + secret
 * (timestamp in milliseconds), signed with HmacSHA256 keyed by the secret, Base64-encoded, then
 * URL-encoded into the webhook's query as &timestamp=…&sign=…. DingTalk refuses a timestamp more
 * than an hour away from its clock.
 */
import { createHmac } from "node:crypto";

/** How far DingTalk lets the timestamp be from its clock. */
export const DINGTALK_MAX_SKEW_MS = 60 * 60 * 1000;

/** The Base64 signature of a millisecond timestamp (not yet URL-encoded). */
export function dingtalkSign(secret: string, timestampMs: number | string): string {
  return createHmac("sha256", secret).update(`${timestampMs}\n${secret}`, "utf8").digest("base64");
}

/** The webhook URL with timestamp and sign added (URLSearchParams does the URL-encoding). */
export function signedUrl(webhook: URL, secret: string | undefined, nowMs: number): URL {
  const url = new URL(webhook);
  if (!secret) return url;
  const timestamp = String(nowMs);
  url.searchParams.set("timestamp", timestamp);
  url.searchParams.set("sign", dingtalkSign(secret, timestamp));
  return url;
}
