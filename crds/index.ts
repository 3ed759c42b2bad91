/**
 * The aisre.io/v1alpha1 API: TypeScript types of the five custom resources, generated from
 * the same TypeBox schemas the CRDs are (crds/*.ts is the single source of truth).
 */
import type { V1ObjectMeta } from "@kubernetes/client-node";
import type { AgentConfigSpec, AgentConfigStatus } from "./agentconfig.ts";
import { API_GROUP_VERSION } from "./api.ts";
import type { DiagnosisRunSpec, DiagnosisRunStatus } from "./diagnosisrun.ts";
import type { RemediationPlanSpec, RemediationPlanStatus } from "./remediationplan.ts";
import type { RunbookSpec, RunbookStatus } from "./runbook.ts";
import type { SreTaskSpec, SreTaskStatus } from "./sretask.ts";

export { API_CATEGORY, API_GROUP, API_GROUP_VERSION, API_VERSION } from "./api.ts";
export { ACTION_NAMES, ACTION_RISKS, isActionName } from "./actions.ts";
export type { ActionName, Risk } from "./actions.ts";
export { ACTION_TARGET_KINDS, actionFitsKind } from "./action-targets.ts";
export { CATEGORIES, SEVERITIES } from "./categories.ts";
export type { Category, Severity } from "./categories.ts";
export type { Alert, Condition, LocalRef, ObjectReference, SecretKeyRef } from "./common.ts";
export type { Finding, Recommendation, RootCause } from "./findings.ts";
export type { PlanStep } from "./remediationplan.ts";
export { LIMITS } from "./limits.ts";
export { ConfigPhase, DiagnosisRunPhase, RemediationPlanPhase, SreTaskPhase, StepPhase } from "./phases.ts";
export { ConditionType, Reason } from "./reasons.ts";
export type { ConditionTypeName, ReasonName } from "./reasons.ts";
export { KINDS, kindDefinition } from "./registry.ts";
export { specErrors } from "./validate.ts";
// Each schema is exported as a value (TypeBox schema) and a type (Static of it) of one name.
export { AgentConfigSpec, AgentConfigStatus } from "./agentconfig.ts";
export { DiagnosisRunSpec, DiagnosisRunStatus } from "./diagnosisrun.ts";
export { RemediationPlanSpec, RemediationPlanStatus } from "./remediationplan.ts";
export { RunbookSpec, RunbookStatus } from "./runbook.ts";
export { SreTaskSpec, SreTaskStatus } from "./sretask.ts";

/** A custom resource of this API: typed spec, optional status (absent until a controller writes it). */
export interface Resource<K extends string, Spec, Status> {
  apiVersion: typeof API_GROUP_VERSION;
  kind: K;
  metadata: V1ObjectMeta;
  spec: Spec;
  status?: Status;
}

export type SreTask = Resource<"SreTask", SreTaskSpec, SreTaskStatus>;
export type DiagnosisRun = Resource<"DiagnosisRun", DiagnosisRunSpec, DiagnosisRunStatus>;
export type RemediationPlan = Resource<"RemediationPlan", RemediationPlanSpec, RemediationPlanStatus>;
export type AgentConfig = Resource<"AgentConfig", AgentConfigSpec, AgentConfigStatus>;
export type Runbook = Resource<"Runbook", RunbookSpec, RunbookStatus>;

/** Any of the five kinds. */
export type AisreResource = SreTask | DiagnosisRun | RemediationPlan | AgentConfig | Runbook;

/** The apiVersion/kind header of a new object of a kind, so callers never misspell them. */
export function typeMeta<K extends AisreResource["kind"]>(
  kind: K,
): { apiVersion: typeof API_GROUP_VERSION; kind: K } {
  return { apiVersion: API_GROUP_VERSION, kind };
}
