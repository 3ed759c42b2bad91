/**
 * Feishu/Lark custom bot signature verification (签名校验): timestamp + "\n" + secret (timestamp
 * in seconds) is the HmacSHA256 KEY, the message is empty, the digest Base64-encoded; timestamp
 * and sign travel in the JSON body. Feishu refuses a timestamp more than an hour from its clock.
 */
import { createHmac } from "node:crypto";

/** How far Feishu lets the timestamp be from its clock. */
export const FEISHU_MAX_SKEW_SECONDS = 60 * 60;

/** The Base64 signature of a timestamp in seconds. */
export function feishuSign(secret: string, timestampSeconds: number | string): string {
  return createHmac("sha256", `${timestampSeconds}\n${secret}`).update("").digest("base64");
}

/** The body fields of a signed request (none without a secret). */
export function signature(secret: string | undefined, nowMs: number): { timestamp?: string; sign?: string } {
  if (!secret) return {};
  const timestamp = String(Math.floor(nowMs / 1000));
  return { timestamp, sign: feishuSign(secret, timestamp) };
}
