/**
 * Every condition type and condition reason the controllers write, in one place so
 * `kubectl get -o yaml`, alerts on conditions and tests all speak the same words.
 * Reasons are CamelCase (metav1.Condition requires `^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$`).
 */

/** Condition types. `Ready` is the summary every kind has; the rest are kind-specific. */
export const ConditionType = {
  /** Summary: the object reached the state its spec asks for (or failed for good). */
  Ready: "Ready",
  /** SreTask: the operator validated the task and took it on. */
  Accepted: "Accepted",
  /** SreTask: the classifier decided the task type and target. */
  Classified: "Classified",
  /** SreTask / DiagnosisRun: a diagnosis finished (with or without a root cause). */
  Diagnosed: "Diagnosed",
  /** SreTask: a remediation plan finished and was verified. */
  Remediated: "Remediated",
  /** SreTask: the alert behind the task resolved. */
  AlertResolved: "AlertResolved",
  /** DiagnosisRun: the LLM was consulted (False with the fallback reason otherwise). */
  LLMAssisted: "LLMAssisted",
  /** RemediationPlan: AgentConfig policy allows every step. */
  PolicyAllowed: "PolicyAllowed",
  /** RemediationPlan: a person or policy approved the plan. */
  Approved: "Approved",
  /** RemediationPlan: every step passed its server-side dry run. */
  DryRunPassed: "DryRunPassed",
  /** RemediationPlan: post-execution verification passed. */
  Verified: "Verified",
  /** AgentConfig: every referenced Secret and key exists. */
  SecretsResolved: "SecretsResolved",
  /** AgentConfig: configured tools (Prometheus, Grafana, AWS, LLM) answered. */
  ToolsReachable: "ToolsReachable",
  /** AgentConfig: whether it is the cluster policy or narrows it; False when cluster-only fields are ignored. */
  PolicyScope: "PolicyScope",
  /** AgentConfig: every monitoring check parses (PromQL and durations); False names the check. */
  ChecksValid: "ChecksValid",
  /** AgentConfig: the monitoring checks were evaluated; False while a query fails (an evidence gap). */
  ChecksEvaluated: "ChecksEvaluated",
} as const;
export type ConditionTypeName = (typeof ConditionType)[keyof typeof ConditionType];

/** Condition reasons, grouped by the flow step that writes them. */
export const Reason = {
  // Intake and classification
  Accepted: "Accepted",
  Classified: "Classified",
  ClassificationFailed: "ClassificationFailed",
  AgentConfigNotFound: "AgentConfigNotFound",
  AgentDisabled: "AgentDisabled",
  /** SreTask: the alert fired again after the task resolved or finished; a new episode starts. */
  Reopened: "Reopened",
  // Diagnosis
  Diagnosing: "Diagnosing",
  RootCauseFound: "RootCauseFound",
  NothingWrong: "NothingWrong",
  /** Some evidence could not be read (Prometheus down, a query timed out); the diagnosis went on without it. */
  EvidenceGap: "EvidenceGap",
  DiagnosisFailed: "DiagnosisFailed",
  /** DiagnosisRun: the target the run names does not exist, so there is nothing to diagnose. */
  TargetNotFound: "TargetNotFound",
  DiagnosisTimedOut: "DiagnosisTimedOut",
  LLMUsed: "LLMUsed",
  LLMDisabled: "LLMDisabled",
  LLMUnavailable: "LLMUnavailable",
  LLMTimedOut: "LLMTimedOut",
  LLMInvalidAnswer: "LLMInvalidAnswer",
  // Planning, policy and approval
  NoActionRecommended: "NoActionRecommended",
  RemediationDisabled: "RemediationDisabled",
  PolicyAllowed: "PolicyAllowed",
  PolicyDenied: "PolicyDenied",
  CooldownActive: "CooldownActive",
  ConcurrencyLimited: "ConcurrencyLimited",
  AwaitingApproval: "AwaitingApproval",
  Approved: "Approved",
  AutoApproved: "AutoApproved",
  Rejected: "Rejected",
  ApprovalExpired: "ApprovalExpired",
  SpecChangedAfterApproval: "SpecChangedAfterApproval",
  // Execution and verification
  DryRunPassed: "DryRunPassed",
  DryRunFailed: "DryRunFailed",
  Remediating: "Remediating",
  StepFailed: "StepFailed",
  RolledBack: "RolledBack",
  UndoFailed: "UndoFailed",
  Verifying: "Verifying",
  /** Every step succeeded; the plan-level PromQL check (spec.verification.promql) is being polled. */
  VerifyingPromQL: "VerifyingPromQL",
  Verified: "Verified",
  VerificationFailed: "VerificationFailed",
  // Outcomes
  Succeeded: "Succeeded",
  Failed: "Failed",
  AlertResolved: "AlertResolved",
  AlertFiring: "AlertFiring",
  // Configuration (AgentConfig, Runbook)
  Valid: "Valid",
  Invalid: "Invalid",
  SecretsResolved: "SecretsResolved",
  SecretNotFound: "SecretNotFound",
  SecretKeyNotFound: "SecretKeyNotFound",
  ToolsReachable: "ToolsReachable",
  ToolUnreachable: "ToolUnreachable",
  /** AgentConfig: the `default` of the operator's namespace, which bounds every namespace's policy. */
  ClusterPolicy: "ClusterPolicy",
  /** AgentConfig: a namespace's policy, which only narrows the cluster policy. */
  NamespacePolicy: "NamespacePolicy",
  /** AgentConfig: a namespace's policy sets fields only the cluster policy may set; they are ignored. */
  ClusterFieldsIgnored: "ClusterFieldsIgnored",
  // Monitoring (AgentConfig spec.monitoring)
  ChecksValid: "ChecksValid",
  /** A check's PromQL does not parse or its for/clearFor is not a duration; the other checks still run. */
  CheckInvalid: "CheckInvalid",
  ChecksEvaluated: "ChecksEvaluated",
  /** A monitoring check's series held for its `for`: an SreTask was opened. */
  CheckFiring: "CheckFiring",
  /** A monitoring check's series stayed clear for `clearFor`: its SreTask was resolved. */
  CheckResolved: "CheckResolved",
  /** Rollout verification: a new revision's golden signals regressed; a BadRollout SreTask was opened. */
  RolloutRegression: "RolloutRegression",
  /** Rollout verification: a new revision held up against the previous one over its window. */
  RolloutVerified: "RolloutVerified",
  /** The anomaly loop flagged a workload's golden signal: an SreTask was opened. */
  AnomalyDetected: "AnomalyDetected",
  /** An anomaly stayed clear for three cycles: its SreTask was resolved. */
  AnomalyCleared: "AnomalyCleared",
  /** A capacity forecast fell inside the AgentConfig's horizon: a Capacity SreTask was opened. */
  CapacityForecast: "CapacityForecast",
  /** A capacity forecast left the horizon: its Capacity SreTask was resolved. */
  CapacityRecovered: "CapacityRecovered",
} as const;
export type ReasonName = (typeof Reason)[keyof typeof Reason];

/** The metav1.Condition reason pattern, so tests and writers can check a reason before use. */
export const REASON_PATTERN = /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/;
