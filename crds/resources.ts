/**
 * REST coordinates of the aisre.io kinds, derived once from the registry: every controller,
 * the sidecar and the tests take group, version and plural from here, never spell them.
 */
import { API_GROUP, API_VERSION } from "./api.ts";
import { kindDefinition } from "./registry.ts";

/** Group, version, kind and plural of one aisre.io kind (the shape of kube's ResourceType). */
export interface AisreResourceType {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

/** The coordinates of one registered kind. */
export function resourceOf(kind: string): AisreResourceType {
  const def = kindDefinition(kind);
  return { group: API_GROUP, version: API_VERSION, kind: def.kind, plural: def.plural, namespaced: true };
}

export const SRETASK = resourceOf("SreTask");
export const DIAGNOSISRUN = resourceOf("DiagnosisRun");
export const REMEDIATIONPLAN = resourceOf("RemediationPlan");
export const AGENTCONFIG = resourceOf("AgentConfig");
export const RUNBOOK = resourceOf("Runbook");
