/** A change the engine could name: which object, when, what, and what kind of change it is. */
import type { ResourceRef } from "../types.ts";

/**
 * What sort of change a candidate is; the root cause's category decides which sorts can
 * explain it (relevance.ts).
 */
export type ChangeClass = "revision" | "restart" | "scale" | "config" | "netpol" | "rbac" | "node" | "spec";

export interface Candidate {
  ref: ResourceRef;
  /** ms since the epoch. */
  at: number;
  /** What changed, without timing: "image api:v2.3.1 → api:v2.4.0", "data changed". */
  what: string;
  cls: ChangeClass;
}

/** RFC 3339 without milliseconds, as Kubernetes prints times. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** "40 s", "2 min", "1 h 5 min": how long before the onset. */
export function lead(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}
