import type { TSchema } from "@sinclair/typebox";
import { AgentConfigSpec, AgentConfigStatus } from "./agentconfig.ts";
import { DiagnosisRunSpec, DiagnosisRunStatus } from "./diagnosisrun.ts";
import { RemediationPlanSpec, RemediationPlanStatus } from "./remediationplan.ts";
import { RunbookSpec, RunbookStatus } from "./runbook.ts";
import { SreTaskSpec, SreTaskStatus } from "./sretask.ts";

/** A `kubectl get` column. */
export interface PrinterColumn {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  jsonPath: string;
  description: string;
  /** 1 shows the column only with `-o wide`. */
  priority?: number;
}

/** Everything that makes one kind: names, schemas and columns. */
export interface KindDefinition {
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  description: string;
  spec: TSchema;
  status: TSchema;
  printerColumns: PrinterColumn[];
}

const phase: PrinterColumn = {
  name: "Phase",
  type: "string",
  jsonPath: ".status.phase",
  description: "Lifecycle phase.",
};
const age: PrinterColumn = {
  name: "Age",
  type: "date",
  jsonPath: ".metadata.creationTimestamp",
  description: "Age.",
};
const rootCause: PrinterColumn = {
  name: "Root cause",
  type: "string",
  jsonPath: ".status.rootCause.category",
  description: "Root-cause category.",
};

/** The five kinds of aisre.io/v1alpha1, in flow order. */
export const KINDS: readonly KindDefinition[] = [
  {
    kind: "SreTask",
    plural: "sretasks",
    singular: "sretask",
    shortNames: ["st"],
    description:
      "A unit of SRE work: from an alert, a chat message, the REST API, the monitor, or kubectl apply.",
    spec: SreTaskSpec,
    status: SreTaskStatus,
    printerColumns: [
      {
        name: "Type",
        type: "string",
        jsonPath: ".status.classification.type",
        description: "Decided task type.",
      },
      {
        name: "Target",
        type: "string",
        jsonPath: ".status.classification.target.name",
        description: "Target name.",
      },
      phase,
      rootCause,
      { name: "Source", type: "string", jsonPath: ".spec.source", description: "Origin.", priority: 1 },
      {
        name: "Episode",
        type: "integer",
        jsonPath: ".status.episode",
        description: "Which firing of the alert.",
        priority: 1,
      },
      {
        name: "Target kind",
        type: "string",
        jsonPath: ".status.classification.target.kind",
        description: "Target kind.",
        priority: 1,
      },
      age,
    ],
  },
  {
    kind: "DiagnosisRun",
    plural: "diagnosisruns",
    singular: "diagnosisrun",
    shortNames: ["diag"],
    description: "One investigation: findings, root cause and recommended catalog actions.",
    spec: DiagnosisRunSpec,
    status: DiagnosisRunStatus,
    printerColumns: [
      { name: "Task", type: "string", jsonPath: ".spec.taskRef.name", description: "SreTask." },
      phase,
      rootCause,
      {
        name: "Confidence",
        type: "number",
        jsonPath: ".status.rootCause.confidence",
        description: "0 to 1.",
      },
      { name: "LLM", type: "boolean", jsonPath: ".status.llm.used", description: "LLM used.", priority: 1 },
      age,
    ],
  },
  {
    kind: "RemediationPlan",
    plural: "remediationplans",
    singular: "remediationplan",
    shortNames: ["rp"],
    description: "Ordered catalog actions with risk, approval, dry run, execution and verification per step.",
    spec: RemediationPlanSpec,
    status: RemediationPlanStatus,
    printerColumns: [
      { name: "Task", type: "string", jsonPath: ".spec.taskRef.name", description: "SreTask." },
      { name: "Steps", type: "string", jsonPath: ".status.progress", description: "Finished / all steps." },
      { name: "Risk", type: "string", jsonPath: ".status.risk", description: "Highest step risk." },
      {
        name: "Approval",
        type: "string",
        jsonPath: ".status.approval.decision",
        description: "The decision.",
      },
      {
        name: "By",
        type: "string",
        jsonPath: ".status.approval.decidedBy",
        description: "Who.",
        priority: 1,
      },
      phase,
      age,
    ],
  },
  {
    kind: "AgentConfig",
    plural: "agentconfigs",
    singular: "agentconfig",
    shortNames: ["ac"],
    description: "Agents, LLM endpoint, tool endpoints, remediation policy and notifications of a namespace.",
    spec: AgentConfigSpec,
    status: AgentConfigStatus,
    printerColumns: [
      { name: "LLM", type: "boolean", jsonPath: ".spec.llm.enabled", description: "LLM enabled." },
      { name: "Model", type: "string", jsonPath: ".spec.llm.model", description: "LLM model.", priority: 1 },
      {
        name: "Auto-remediate",
        type: "boolean",
        jsonPath: ".spec.policy.autoRemediation",
        description: "Plans below the approval risk run without a person.",
      },
      phase,
      age,
    ],
  },
  {
    kind: "Runbook",
    plural: "runbooks",
    singular: "runbook",
    shortNames: ["rb"],
    description: "Knowledge: the symptoms a runbook matches, its steps and suggested catalog actions.",
    spec: RunbookSpec,
    status: RunbookStatus,
    printerColumns: [
      { name: "Title", type: "string", jsonPath: ".spec.title", description: "Title." },
      {
        name: "Categories",
        type: "string",
        jsonPath: ".spec.matches.categories",
        description: "Matched categories.",
      },
      {
        name: "Matched",
        type: "integer",
        jsonPath: ".status.matchCount",
        description: "Times matched.",
        priority: 1,
      },
      phase,
      age,
    ],
  },
];

/** The definition of a kind by name; throws for an unknown kind (a programming error). */
export function kindDefinition(kind: string): KindDefinition {
  const found = KINDS.find((k) => k.kind === kind);
  if (!found) throw new Error(`unknown aisre kind ${kind}`);
  return found;
}
