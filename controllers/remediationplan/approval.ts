import { createHash } from "node:crypto";
import type { RemediationPlan, RemediationPlanStatus } from "../../crds/index.ts";
import { Reason } from "../../crds/index.ts";
import { DECISION_FIELD_MANAGERS, RESERVED_DECIDER_PREFIXES } from "../../crds/approval.ts";
import { formatTime } from "../../runtime/index.ts";

/** Default lifetime of an approval (and of a wait for one) when the AgentConfig sets none. */
export const DEFAULT_APPROVAL_TTL_SECONDS = 3600;

type Approval = NonNullable<RemediationPlanStatus["approval"]>;

/** JSON with object keys sorted at every level, so equal specs hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** sha256 of what an approval covers: the steps, undoOnFailure and verification. */
export function specHash(plan: Pick<RemediationPlan, "spec">): string {
  const { steps, undoOnFailure, verification } = plan.spec;
  const digest = createHash("sha256").update(canonicalJson({ steps, undoOnFailure, verification }));
  return `sha256:${digest.digest("hex")}`;
}

interface ManagedField {
  manager?: string;
  operation?: string;
  time?: string | Date;
  subresource?: string;
  fieldsV1?: Record<string, unknown>;
}

const ownsApproval = (f: ManagedField): boolean => {
  const spec = f.fieldsV1?.["f:spec"] as Record<string, unknown> | undefined;
  return !f.subresource && spec !== undefined && "f:approval" in spec;
};

const VIA_BY_MANAGER: Record<string, Approval["via"]> = Object.fromEntries(
  Object.entries(DECISION_FIELD_MANAGERS).map(([via, manager]) => [manager, via as Approval["via"]]),
);

/**
 * When and through which channel spec.approval was written, from metadata.managedFields: the
 * sidecar's decision patches carry a field manager per channel (REST, WeCom), anything else is
 * Kubernetes. Informational only; who decided is spec.approval.decidedBy.
 */
export function decisionOrigin(plan: RemediationPlan): { via: Approval["via"]; decidedAt?: string } {
  const fields = (plan.metadata.managedFields ?? []) as ManagedField[];
  const owner = fields.filter(ownsApproval).at(-1);
  const via = (owner?.manager && VIA_BY_MANAGER[owner.manager]) || "Kubernetes";
  const at = owner?.time instanceof Date ? owner.time.toISOString() : owner?.time;
  return { via, ...(at ? { decidedAt: at } : {}) };
}

/**
 * The person who decided: spec.approval.decidedBy, which the aisre-remediationplan-approval
 * ValidatingAdmissionPolicy admits only when it is the requesting user and that user may
 * `approve` the plan. Undefined when absent or reserved (policy:, field-manager:).
 */
export function namedDecider(plan: RemediationPlan): string | undefined {
  const by = plan.spec.approval?.decidedBy?.trim();
  if (!by || RESERVED_DECIDER_PREFIXES.some((p) => by.startsWith(p))) return undefined;
  return by;
}

/** What an AwaitingApproval plan should do now. */
export type ApprovalMove =
  | { kind: "wait"; untilMs: number }
  | { kind: "decided"; approval: Approval }
  | { kind: "unattributed"; message: string }
  | { kind: "expired"; message: string };

/**
 * Decides an AwaitingApproval plan from spec.approval alone (status.approval is the operator's own
 * record, never a client's): a decision with a named decider is recorded; an approval without one
 * is void (no approval executes unattributed); otherwise wait until the TTL counted from
 * awaitingSinceMs.
 */
export function approvalMove(
  plan: RemediationPlan,
  awaitingSinceMs: number,
  ttlSeconds: number,
  now: number,
): ApprovalMove {
  const ttlMs = ttlSeconds * 1000;
  const decision = plan.spec.approval?.decision;
  if (decision) {
    const decidedBy = namedDecider(plan);
    if (!decidedBy && decision === "Approved")
      return {
        kind: "unattributed",
        message:
          "spec.approval names no decider (decidedBy): an approval must record the approving user, " +
          "which the aisre-remediationplan-approval ValidatingAdmissionPolicy checks; create a new plan",
      };
    const origin = decisionOrigin(plan);
    const decidedAt = origin.decidedAt ?? formatTime(now);
    const decidedMs = Date.parse(decidedAt);
    const approval: Approval = {
      decision,
      // A rejection stops a plan whoever wrote it; an approval always has a named decider.
      decidedBy: decidedBy ?? "unknown",
      decidedAt,
      via: origin.via,
      specHash: specHash(plan),
      expiresAt: formatTime((Number.isNaN(decidedMs) ? now : decidedMs) + ttlMs),
    };
    return { kind: "decided", approval };
  }
  const untilMs = awaitingSinceMs + ttlMs;
  if (now >= untilMs)
    return { kind: "expired", message: `no decision within ${ttlSeconds}s (policy.approvalTTLSeconds)` };
  return { kind: "wait", untilMs };
}

/** Why an Approved plan may not start (spec changed, approval lapsed), or undefined when it may. */
export function approvalVoid(
  plan: RemediationPlan,
  now: number,
): { reason: string; message: string } | undefined {
  const approval = plan.status?.approval;
  if (!approval || approval.decision !== "Approved")
    return { reason: Reason.Rejected, message: "no approval is recorded" };
  // A person's approval is executed only while spec.approval (admission-checked) still says so;
  // the policy's own approval only for a plan nobody decided on.
  const person = approval.via !== "Policy";
  if (
    person
      ? plan.spec.approval?.decision !== "Approved" || namedDecider(plan) !== approval.decidedBy
      : plan.spec.approval !== undefined
  )
    return {
      reason: Reason.Rejected,
      message: "the recorded approval does not match spec.approval; create a new plan and approve it",
    };
  if (approval.specHash && approval.specHash !== specHash(plan))
    return {
      reason: Reason.SpecChangedAfterApproval,
      message: "the plan changed after it was approved; create a new plan and approve it",
    };
  if (approval.expiresAt && now >= Date.parse(approval.expiresAt))
    return {
      reason: Reason.ApprovalExpired,
      message: `the approval lapsed at ${approval.expiresAt} before execution started`,
    };
  return undefined;
}
