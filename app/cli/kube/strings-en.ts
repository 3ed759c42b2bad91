/** English text of the kubectl-style commands (approve, reject, tasks, incident). */
export const en = {
  approved: "approved",
  rejected: "rejected",
  noTasks: (where: string) => `No resources found in ${where}.`,
  allNamespaces: "any namespace",
  namespace: (ns: string) => `${ns} namespace`,
  alreadyDecided: (plan: string, decision: string, by: string) =>
    `RemediationPlan ${plan} was already ${decision.toLowerCase()} by ${by}; a decision is final (create a new plan to decide again)`,
  decidedByPolicy: (plan: string, phase: string) =>
    `RemediationPlan ${plan} is ${phase}: policy approved it, there is nothing left to decide`,
  finished: (plan: string, phase: string) =>
    `RemediationPlan ${plan} is ${phase}: it can no longer be decided`,
  conflict: (plan: string) => `RemediationPlan ${plan} changed while deciding; run the command again`,
  storeUnavailable: (why: string) => `warning: the incident store could not be read: ${why}`,
  task: "Task",
  target: "Target",
  rootCause: "Root cause",
  noRootCause: "none found (yet)",
  evidence: "Evidence",
  recommendations: "Recommendations",
  diagnosis: "Diagnosis",
  plan: "Plan",
  noPlan: "none",
  decision: "Decision",
  decide: "Decide",
  incident: "Incident",
  timeline: "Timeline",
  confidence: "confidence",
  steps: "steps",
} as const;

/** The shape every language's catalog has. */
export type Strings = {
  [K in keyof typeof en]: (typeof en)[K] extends (...a: infer A) => string ? (...a: A) => string : string;
};
