/**
 * Bounds of every list and string in the CRDs. The API server needs them to estimate CEL
 * cost, and they keep a status small enough to read in `kubectl get -o yaml`; writers
 * (controllers, the engine) truncate to these and set the `truncated` flags.
 */
export const LIMITS = {
  /** Human-readable messages and summaries in status. */
  message: 1024,
  /** Free text written by people: task descriptions, runbook step descriptions. */
  text: 4096,
  /** Object names (DNS subdomain). */
  name: 253,
  /** Namespaces and other DNS labels. */
  label: 63,
  /** URLs of tools, alert generators and runbook links. */
  url: 2048,
  /** PromQL expressions. */
  promql: 4096,
  /** metav1.Condition entries per object. */
  conditions: 16,
  /** Findings kept in a DiagnosisRun status. */
  findings: 50,
  /** Evidence lines per finding. */
  evidence: 10,
  /** One evidence line. */
  evidenceLine: 512,
  /** Recommendations kept in a DiagnosisRun status. */
  recommendations: 20,
  /** Steps of a RemediationPlan. */
  steps: 20,
  /** Objects listed as affected by one plan step. */
  affected: 50,
  /** Label / annotation entries of an alert. */
  alertLabels: 64,
  /** Parameters of one action. */
  params: 32,
  /** Runbooks listed as matched by a diagnosis. */
  runbooks: 10,
  /** Monitoring checks of one AgentConfig. */
  checks: 50,
  /** Entries of user lists such as namespaces, approvers, alertnames. */
  list: 100,
} as const;
