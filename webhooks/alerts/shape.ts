/**
 * Helpers that map other monitoring systems' alerts to Alertmanager's alert shape (the one the
 * SreTask's spec.alert holds): a fingerprint from the labels when the sender has none, and extra
 * fields folded into annotations so a user sees them on the task.
 */
import { createHash } from "node:crypto";
import { Type } from "@sinclair/typebox";
import { LIMITS } from "../../crds/index.ts";

/** Alertmanager's way of identifying an alert: a hash of its sorted labels (16 hex digits here). */
export function labelsFingerprint(labels: Record<string, string>): string {
  const hash = createHash("sha256");
  for (const key of Object.keys(labels).sort())
    hash.update(key).update("\0").update(labels[key]!).update("\0");
  return hash.digest("hex").slice(0, 16);
}

/** Sets each non-empty value under its key unless the sender's annotations already have that key. */
export function withExtras(
  annotations: Record<string, string> | undefined,
  extras: Record<string, string | undefined>,
): Record<string, string> {
  const out = { ...annotations };
  for (const [key, value] of Object.entries(extras)) if (value && !(key in out)) out[key] = value;
  return out;
}

/** Alert labels as TypeBox: alertname optional here (routes check their own name field). */
export const LabelMap = (description: string) =>
  Type.Unsafe<Record<string, string>>({
    type: "object",
    description: `${description} At most ${LIMITS.alertLabels}.`,
    additionalProperties: { type: "string", maxLength: 1024 },
    maxProperties: LIMITS.alertLabels,
  });

/** A map of strings (annotations). */
export const TextMap = (description: string) =>
  Type.Unsafe<Record<string, string>>({
    type: "object",
    description,
    additionalProperties: { type: "string" },
  });

/** An RFC 3339 time. */
export const Time = (description: string) => Type.String({ description, format: "date-time", maxLength: 64 });

/** One result row of a route (same shape as the Alertmanager route's). */
export { WebhookResult } from "../alertmanager/schema.ts";
