import { API_GROUP, API_VERSION } from "../crds/api.ts";
import type { ResourceType } from "../runtime/index.ts";

const aisre = (kind: string, plural: string): ResourceType => ({
  group: API_GROUP,
  version: API_VERSION,
  kind,
  plural,
  namespaced: true,
});

/** REST coordinates of the aisre.io kinds the controllers watch and write. */
export const SRETASK = aisre("SreTask", "sretasks");
export const DIAGNOSISRUN = aisre("DiagnosisRun", "diagnosisruns");
export const REMEDIATIONPLAN = aisre("RemediationPlan", "remediationplans");
export const AGENTCONFIG = aisre("AgentConfig", "agentconfigs");
export const RUNBOOK = aisre("Runbook", "runbooks");
