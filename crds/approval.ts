/**
 * How a RemediationPlan decision is made through the Kubernetes API: spec.approval, set after
 * creation by a user allowed the custom verb `approve` on remediationplans, naming themselves in
 * spec.approval.decidedBy. The aisre-remediationplan-approval ValidatingAdmissionPolicy
 * (cdk8s/admission.ts) makes the API server check both.
 */

/** The RBAC verb that allows deciding a RemediationPlan (as `approve` on CSR signers). */
export const APPROVE_VERB = "approve";

/**
 * The field managers of the sidecar's decision patches, naming the channel in status.approval.via.
 * Informational only: who decided is spec.approval.decidedBy, which the API server checked.
 */
export const DECISION_FIELD_MANAGERS = {
  REST: "aisre-sidecar-rest",
  WeCom: "aisre-sidecar-wecom",
} as const;

/** Prefixes no person's decidedBy may carry: the operator's own records and the old field-manager guess. */
export const RESERVED_DECIDER_PREFIXES = ["policy:", "field-manager:"] as const;
