/**
 * Deterministic SreTask names and labels for alerts: the same fingerprint always maps to the
 * same name, so creating it twice is a 409, never a second task.
 */
import { createHash } from "node:crypto";

/** Label keys the sidecar puts on alert tasks (selectable with kubectl -l). */
export const ALERT_LABELS = {
  alertname: "aisre.io/alertname",
  severity: "aisre.io/severity",
  fingerprint: "aisre.io/fingerprint",
} as const;

const MAX_NAME = 63;
const PREFIX = "alert-";
const FP_LENGTH = 12;

/** The first 12 hex digits of an Alertmanager fingerprint, or of its hash when it is not hex. */
export function fingerprintPart(fingerprint: string): string {
  const fp = fingerprint.toLowerCase();
  if (/^[0-9a-f]{12,}$/.test(fp)) return fp.slice(0, FP_LENGTH);
  return createHash("sha256").update(fingerprint).digest("hex").slice(0, FP_LENGTH);
}

/** alertname as a DNS-1123 label fragment: lower case, runs of other characters become one dash. */
export function slug(text: string, max: number): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, max)
    .replace(/^-+|-+$/g, "");
}

/** `alert-<alertname slug>-<first 12 of fingerprint>`, at most 63 characters, DNS-1123. */
export function alertTaskName(alertname: string, fingerprint: string): string {
  const fp = fingerprintPart(fingerprint);
  const s = slug(alertname, MAX_NAME - PREFIX.length - 1 - FP_LENGTH);
  return s ? `${PREFIX}${s}-${fp}` : `${PREFIX}${fp}`;
}

/** A string as a valid label value (≤ 63, alphanumeric at both ends), or undefined when nothing is left. */
export function labelValue(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const v = text
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
  return v || undefined;
}

/** The labels of an alert task. */
export function alertTaskLabels(labels: Record<string, string>, fingerprint: string): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (key: string, value: string | undefined) => {
    const v = labelValue(value);
    if (v) out[key] = v;
  };
  put(ALERT_LABELS.alertname, labels.alertname);
  put(ALERT_LABELS.severity, labels.severity);
  put(ALERT_LABELS.fingerprint, fingerprint);
  return out;
}
