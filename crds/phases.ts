/**
 * The lifecycle phase of each kind: the one word `kubectl get` prints. Conditions carry
 * the detail; a phase is a summary a person can sort and filter by.
 */

/** SreTask: intake, diagnosis, approval, remediation, outcome. */
export const SreTaskPhase = {
  Pending: "Pending",
  Accepted: "Accepted",
  Diagnosing: "Diagnosing",
  Diagnosed: "Diagnosed",
  AwaitingApproval: "AwaitingApproval",
  Remediating: "Remediating",
  Succeeded: "Succeeded",
  Failed: "Failed",
  Resolved: "Resolved",
} as const;

/** DiagnosisRun: one investigation. */
export const DiagnosisRunPhase = {
  Pending: "Pending",
  Running: "Running",
  Completed: "Completed",
  Failed: "Failed",
} as const;

/** RemediationPlan: policy, approval, execution, verification. */
export const RemediationPlanPhase = {
  Pending: "Pending",
  Rejected: "Rejected",
  AwaitingApproval: "AwaitingApproval",
  Approved: "Approved",
  Running: "Running",
  Succeeded: "Succeeded",
  Failed: "Failed",
  RolledBack: "RolledBack",
} as const;

/** One step of a RemediationPlan. */
export const StepPhase = {
  Pending: "Pending",
  DryRun: "DryRun",
  Running: "Running",
  Verifying: "Verifying",
  Succeeded: "Succeeded",
  Failed: "Failed",
  Undone: "Undone",
} as const;

/** AgentConfig and Runbook: configuration is usable or not. */
export const ConfigPhase = {
  Ready: "Ready",
  Invalid: "Invalid",
} as const;

/** The values of a phase object, in declaration order, for schema enums. */
export function phaseValues<T extends Record<string, string>>(phases: T): T[keyof T][] {
  return Object.values(phases) as T[keyof T][];
}
