import type { Command } from "../command.ts";

/**
 * One `aisre` subcommand as `aisre --help` lists it; `load` imports its module only when the
 * command runs, so `aisre version` never loads the Kubernetes client, Fastify, LangChain or
 * PGlite that `operator` and `sidecar` need (docs/adr/0007-cli-startup.md).
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

/** Every `aisre` subcommand, in the order `aisre --help` lists them. */
export const commands: readonly CommandEntry[] = [
  {
    name: "operator",
    summary: "Run the controllers (SreTask, DiagnosisRun, RemediationPlan, ...) with leader election",
    load: async () => (await import("./operator.ts")).operatorCommand,
  },
  {
    name: "version",
    summary: "Print the aisre version",
    load: async () => (await import("./version.ts")).versionCommand,
  },
  {
    name: "diagnose",
    summary: "Find the root cause of an incident, in a cluster snapshot or the live cluster",
    load: async () => (await import("./diagnose.ts")).diagnoseCommand,
  },
  {
    name: "capacity",
    summary:
      "Forecast days until node pools, nodes, namespace quotas and volumes run out, with right-sizing per workload",
    load: async () => (await import("./capacity.ts")).capacityCommand,
  },
  {
    name: "suggestions",
    summary: "List automation suggestions learnt from resolved incidents; none is ever applied",
    load: async () => (await import("./suggestions.ts")).suggestionsCommand,
  },
  {
    name: "mcp",
    summary: "Serve the aisre tools to an MCP client over stdio, as the kubeconfig's identity",
    load: async () => (await import("./mcp.ts")).mcpCommand,
  },
  {
    name: "sidecar",
    summary: "Run the webhook and REST sidecar (Alertmanager, REST, SSE, WeCom)",
    load: async () => (await import("./sidecar.ts")).sidecarCommand,
  },
  {
    name: "tasks",
    summary: "List SreTasks: name, phase, root-cause category, target, age",
    load: async () => (await import("./tasks.ts")).tasksCommand,
  },
  {
    name: "incident",
    summary: "Show a task's incident: root cause, evidence, plan and decision",
    load: async () => (await import("./incident.ts")).incidentCommand,
  },
  {
    name: "approve",
    summary: "Approve a RemediationPlan as the kubeconfig's user (needs the verb approve)",
    load: async () => (await import("./approve.ts")).approveCommand,
  },
  {
    name: "reject",
    summary: "Reject a RemediationPlan as the kubeconfig's user (needs the verb approve)",
    load: async () => (await import("./reject.ts")).rejectCommand,
  },
];
