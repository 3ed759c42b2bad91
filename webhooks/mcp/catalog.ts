/** What tools/list tells clients about each tool: its description and hints, beside its schema. */
import type { TSchema } from "@sinclair/typebox";
import { INPUTS } from "./schemas.ts";

/** One tool as tools/list shows it. */
export interface ToolInfo {
  name: string;
  description: string;
  inputSchema: TSchema;
  annotations: {
    readOnlyHint: boolean;
    destructiveHint: boolean;
    idempotentHint: boolean;
    openWorldHint: boolean;
  };
}

const READ = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };

const DESCRIPTIONS: Record<string, string> = {
  diagnose:
    "Find the root cause of an incident in a namespace of the live cluster (deterministic engine, plus Prometheus metrics when configured). Returns the text report and the diagnosis contract JSON (docs/diagnosis.md).",
  list_incidents:
    "List incidents from the incident history, newest first, filtered by namespace, status or category.",
  get_incident: "One incident with its timeline (opened, diagnoses, remediation steps, resolved).",
  similar_incidents:
    "Past incidents like this one: the same alert fingerprint, or the same root-cause category on the same workload.",
  search_runbooks:
    "Runbooks of a namespace matching a root-cause category or words; their steps and suggested actions.",
  query_prometheus:
    'Read-only PromQL, held to one namespace (every selector must match namespace="<ns>"); instant, or a range of at most 24 h; at most 50 series and 120 points each.',
  propose_plan:
    "Create a RemediationPlan of catalog actions. It is only a proposal: it waits for a person's approval through the normal path (kubectl, REST or WeCom) and this tool never approves or runs it.",
  get_task:
    "Read an SreTask (phase, classification, root cause, links to its DiagnosisRun and RemediationPlan).",
  capacity:
    "Capacity of a namespace's workloads from Prometheus: CPU and memory requests and limits against p95 usage over a window, headroom, and the memory trend with the hours left to the limit. Absent metrics are named, never guessed.",
  find_dashboards:
    "Links to the Grafana dashboards and panels about a workload (their titles or queries name it).",
};

/** Every tool, in the order tools/list shows them. */
export const TOOLS: ToolInfo[] = Object.entries(INPUTS).map(([name, inputSchema]) => ({
  name,
  description: DESCRIPTIONS[name] ?? name,
  inputSchema,
  annotations:
    name === "propose_plan"
      ? { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false }
      : { ...READ, openWorldHint: ["query_prometheus", "capacity", "find_dashboards"].includes(name) },
}));
