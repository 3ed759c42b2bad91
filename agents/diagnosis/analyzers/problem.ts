/** PodProblem: the deepest cause found for one pod, before pods are grouped by workload. */
import type { Facts } from "../fault.ts";
import type { Category, ResourceRef, Severity } from "../types.ts";

export interface PodProblem {
  category: Category;
  severity: Severity;
  message: string;
  evidence: string[];
  facts: Facts;
  strength: number;
  /** Overrides the pod's workload as the subject (the Node, the PVC). */
  subject?: ResourceRef;
}

const PRIORITY: Partial<Record<Category, number>> = {
  NodeNotReady: 9,
  PVCPending: 8,
  ImagePull: 7,
  MissingConfig: 7,
  InitContainerFailure: 6,
  OOMKilled: 5,
  CrashLoop: 4,
  VolumeMountFailure: 4,
  ProbeFailure: 3,
};

/** The more telling of two problems: severity first, then the more specific category. */
export function better(a: PodProblem | null, b: PodProblem | null): PodProblem | null {
  if (!a) return b;
  if (!b) return a;
  const sev = (p: PodProblem) => (p.severity === "critical" ? 2 : p.severity === "warning" ? 1 : 0);
  if (sev(a) !== sev(b)) return sev(a) > sev(b) ? a : b;
  return (PRIORITY[a.category] ?? 0) >= (PRIORITY[b.category] ?? 0) ? a : b;
}
