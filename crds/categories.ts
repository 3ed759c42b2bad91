/**
 * Root-cause categories of docs/diagnosis.md §3: the words a diagnosis names a cause with and
 * a Runbook matches on. This list is API: extend it only by adding categories.
 */
export const SNAPSHOT_CATEGORIES = [
  "CrashLoop",
  "OOMKilled",
  "ImagePull",
  "MissingConfig",
  "ProbeFailure",
  "InitContainerFailure",
  "Unschedulable",
  "PVCPending",
  "VolumeMountFailure",
  "BadRollout",
  "QuotaExceeded",
  "JobFailed",
  "HPAMaxedOut",
  "ServiceSelectorMismatch",
  "ServiceNoEndpoints",
  "IngressMisconfigured",
  "NodeNotReady",
  "NodePressure",
  "AdmissionWebhookFailure",
  "PDBBlocking",
  // Contract v2 (docs/diagnosis.md §3): causes outside the pod that the engine reads from
  // policies, cluster DNS, certificates and RBAC.
  "NetworkPolicyBlocked",
  "DNSFailure",
  "CertificateExpired",
  "RBACForbidden",
  "DependencyUnavailable",
] as const;

/** Categories diagnosed live from Prometheus metrics, never from snapshots. */
export const METRIC_CATEGORIES = [
  "HighErrorRate",
  "HighLatency",
  "CPUThrottling",
  "MemoryLeak",
  "DiskFillForecast",
] as const;

/** Every root-cause category. */
export const CATEGORIES = [...SNAPSHOT_CATEGORIES, ...METRIC_CATEGORIES] as const;
export type Category = (typeof CATEGORIES)[number];

/** Severity of one finding. */
export const SEVERITIES = ["critical", "warning", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];
