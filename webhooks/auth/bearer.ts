/** Bearer tokens: extraction from the Authorization header and constant-time comparison. */
import { createHash, timingSafeEqual } from "node:crypto";

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? "");
  return m?.[1];
}

const digest = (s: string): Buffer => createHash("sha256").update(s, "utf8").digest();

/** Compares tokens in constant time: both are hashed first, so even their lengths stay secret. */
export function tokenMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  return timingSafeEqual(digest(given), digest(expected));
}

/** A key for caches of per-token answers: the token's hash, never the token. */
export const tokenKey = (token: string): string => digest(token).toString("base64url");
