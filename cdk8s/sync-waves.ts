import { ApiObject } from "cdk8s";
import type { Chart } from "cdk8s";

/** Argo CD's ordering annotation: lower waves are applied (and healthy) before higher ones. */
export const SYNC_WAVE = "argocd.argoproj.io/sync-wave";

/** CRDs first, so every later object that names an aisre.io kind can be validated. */
export const CRD_WAVE = "-2";
/** Policy next: namespace, identities, admission policies and the NetworkPolicy exist before any pod. */
export const POLICY_WAVE = "-1";
/** The operator and the sidecar last, with their Services and PDBs. */
export const WORKLOAD_WAVE = "0";

const POLICY_KINDS = new Set([
  "Namespace",
  "ServiceAccount",
  "ClusterRole",
  "ClusterRoleBinding",
  "Role",
  "RoleBinding",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "NetworkPolicy",
]);

/** The sync wave of one kind. */
export function syncWave(kind: string): string {
  if (kind === "CustomResourceDefinition") return CRD_WAVE;
  return POLICY_KINDS.has(kind) ? POLICY_WAVE : WORKLOAD_WAVE;
}

/** Annotates every object of the chart with its sync wave (plain kubectl and Helm ignore it). */
export function addSyncWaves(chart: Chart): void {
  for (const c of chart.node.findAll()) {
    if (c instanceof ApiObject) c.metadata.addAnnotation(SYNC_WAVE, syncWave(c.kind));
  }
}
