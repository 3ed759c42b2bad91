/**
 * Which task a check's series belongs to. A series is its label set (without `__name__`, as
 * Prometheus alerts drop it); the fingerprint hashes the AgentConfig, the check and that set,
 * so the same series always maps to the same SreTask name and a second create is a 409.
 */
import { createHash } from "node:crypto";

const MAX_NAME = 63;
const PREFIX = "monitor-";
const FP_LENGTH = 16;

/** The label set of a result series: `__name__` dropped. */
export function seriesLabels(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(labels).sort()) if (key !== "__name__") out[key] = labels[key]!;
  return out;
}

/** The fingerprint of a series of a check of an AgentConfig: 16 hex digits of a SHA-256. */
export function seriesFingerprint(config: string, check: string, labels: Record<string, string>): string {
  const h = createHash("sha256").update(`${config}\0${check}`);
  for (const key of Object.keys(labels).sort()) h.update(`\0${key}\0${labels[key]}`);
  return h.digest("hex").slice(0, FP_LENGTH);
}

/** `monitor-<check>-<fingerprint>`: a DNS-1123 label of at most 63 characters. */
export function seriesTaskName(check: string, fingerprint: string): string {
  const room = MAX_NAME - PREFIX.length - 1 - fingerprint.length;
  const slug = check.slice(0, room).replace(/-+$/, "");
  return `${PREFIX}${slug}-${fingerprint}`;
}
