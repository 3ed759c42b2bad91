/**
 * Fault: a Finding plus what the engine needs to rank and explain it. `subject`
 * is the resource the user acts on (the would-be rootCause.resource); `pods` are
 * the affected pods' keys (blast radius, and membership in a dependency walk).
 */
import { publicRef } from "./refs.ts";
import type { Category, Finding, ResourceRef, Severity } from "./types.ts";

/** Structured details the summary and recommendations read. */
export interface Facts {
  container?: string;
  exitCode?: number;
  reason?: string;
  image?: string;
  lastLog?: string;
  memoryLimit?: string;
  cpuLimit?: string;
  proposedCpu?: string;
  detail?: string;
  restarts?: number;
  /** A previous revision that was healthy (BadRollout, RolloutUndo rationale). */
  previousRevision?: string;
  previousImage?: string;
  previousHealthyFor?: string;
  /** The newest revision started recently (image change, config change). */
  rolloutAge?: string;
  object?: string;
  maxReplicas?: number;
  proposedMaxReplicas?: number;
  proposedMemory?: string;
  webhookService?: ResourceRef;
  webhookReplicas?: number;
  webhookBackend?: ResourceRef;
}

export interface Fault {
  category: Category;
  severity: Severity;
  /** The object the evidence was read from (a representative pod, the node, the service...). */
  resource: ResourceRef;
  /** The object named as root cause when this fault wins. */
  subject: ResourceRef;
  message: string;
  evidence: string[];
  /** Keys (refKey) of the affected pods. */
  pods: string[];
  facts: Facts;
  /** How strong and direct the evidence is, 0..1. */
  strength: number;
  /** Set when a higher-level fault of the same subject explains this one (e.g. BadRollout over CrashLoop). */
  absorbedBy?: Category;
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 2, warning: 1, info: 0 };

/** 2 for critical, 1 for warning, 0 for info. */
export function severityRank(s: Severity): number {
  return SEVERITY_RANK[s];
}

/** The worse of two severities. */
export function worse(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}

/** The contract view of a fault. */
export function toFinding(f: Fault): Finding {
  return {
    category: f.category,
    severity: f.severity,
    resource: publicRef(f.resource),
    message: f.message,
    evidence: f.evidence,
  };
}
