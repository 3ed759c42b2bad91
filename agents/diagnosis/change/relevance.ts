/**
 * Which sorts of change can explain which root cause, and how the onset reads in `what`.
 * A change outside its category's list is ignored even when it is the most recent: a
 * RoleBinding edit does not explain an OOM kill.
 */
import type { Category } from "../types.ts";
import type { ChangeClass } from "./candidate.ts";

const POD_LEVEL: ChangeClass[] = ["revision", "restart", "config", "node"];

const CLASSES: Partial<Record<Category, ChangeClass[]>> = {
  CrashLoop: POD_LEVEL,
  OOMKilled: ["revision", "restart", "config", "scale"],
  ImagePull: POD_LEVEL,
  MissingConfig: ["revision", "restart", "config"],
  ProbeFailure: POD_LEVEL,
  InitContainerFailure: POD_LEVEL,
  BadRollout: ["revision", "restart", "config"],
  Unschedulable: ["revision", "scale", "node"],
  PVCPending: ["revision", "scale", "spec"],
  VolumeMountFailure: ["revision", "scale", "spec", "node"],
  QuotaExceeded: ["revision", "scale", "spec"],
  JobFailed: ["revision", "config", "spec"],
  HPAMaxedOut: ["revision", "spec"],
  ServiceSelectorMismatch: ["revision", "spec"],
  ServiceNoEndpoints: ["revision", "restart", "config", "spec"],
  IngressMisconfigured: ["spec"],
  NodeNotReady: ["node"],
  NodePressure: ["node"],
  PDBBlocking: ["spec", "scale"],
  NetworkPolicyBlocked: ["netpol"],
  RBACForbidden: ["rbac", "revision"],
  DNSFailure: ["revision", "restart", "config", "scale", "netpol"],
  DependencyUnavailable: ["revision", "restart", "config", "scale", "netpol"],
  // An expiry is the passing of time, and a webhook outage lives in another workload.
  CertificateExpired: [],
  AdmissionWebhookFailure: [],
};

/** The sorts of change that can explain a category (every sort for a category not listed). */
export function classesFor(category: Category): ReadonlySet<ChangeClass> {
  return new Set(
    CLASSES[category] ?? ["revision", "restart", "scale", "config", "netpol", "rbac", "node", "spec"],
  );
}

const ONSET: Partial<Record<Category, string>> = {
  CrashLoop: "the first crash",
  BadRollout: "the first crash",
  InitContainerFailure: "the first crash",
  OOMKilled: "the first OOM kill",
  ImagePull: "the first pull error",
  Unschedulable: "the first scheduling failure",
  ProbeFailure: "the first failed probe",
};

/** How the onset of a category reads: "the first crash", else "the first failure". */
export function onsetPhrase(category: Category): string {
  return ONSET[category] ?? "the first failure";
}
