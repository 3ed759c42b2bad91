import { createHash } from "node:crypto";
import type { RemediationPlan, RemediationPlanStatus } from "../../crds/index.ts";
import { Reason } from "../../crds/index.ts";
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

/**
 * Who set spec.approval through the Kubernetes API, from metadata.managedFields: the field
 * manager of the request (kubectl's is "kubectl-patch" / "kubectl-client-side-apply"), not
 * the authenticated user. The API server does not record users in objects.
 */
export function kubernetesDecider(plan: RemediationPlan): { decidedBy: string; decidedAt?: string } {
  const fields = (plan.metadata.managedFields ?? []) as ManagedField[];
  const owner = fields.filter(ownsApproval).at(-1);
  if (!owner) return { decidedBy: "field-manager:unknown" };
  const at = owner.time instanceof Date ? owner.time.toISOString() : owner.time;
  return { decidedBy: `field-manager:${owner.manager ?? "unknown"}`, ...(at ? { decidedAt: at } : {}) };
}

/** What an AwaitingApproval plan should do now. */
export type ApprovalMove =
  | { kind: "wait"; untilMs: number }
  | { kind: "decided"; approval: Approval }
  | { kind: "expired"; message: string };

/**
 * Decides an AwaitingApproval plan: a decision recorded by REST/WeCom (status.approval) or
 * through kubectl (spec.approval, decider from managedFields); otherwise wait until the TTL
 * counted from awaitingSinceMs.
 */
export function approvalMove(
  plan: RemediationPlan,
  awaitingSinceMs: number,
  ttlSeconds: number,
  now: number,
): ApprovalMove {
  const ttlMs = ttlSeconds * 1000;
  const hash = specHash(plan);
  const recorded = plan.status?.approval;
  const decision = plan.spec.approval?.decision ?? recorded?.decision;
  if (decision) {
    const kube = recorded && recorded.decision === decision ? undefined : kubernetesDecider(plan);
    const base: Approval = kube
      ? {
          decision,
          decidedBy: kube.decidedBy,
          decidedAt: kube.decidedAt ?? formatTime(now),
          via: "Kubernetes",
        }
      : recorded!;
    const decidedMs = Date.parse(base.decidedAt);
    const expiresAt = formatTime((Number.isNaN(decidedMs) ? now : decidedMs) + ttlMs);
    return { kind: "decided", approval: { ...base, specHash: base.specHash ?? hash, expiresAt } };
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
