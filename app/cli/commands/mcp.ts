import { parseArgs } from "node:util";
import type { Command } from "../command.ts";
import { UsageError } from "../command.ts";

const USAGE = [
  "aisre mcp [--prometheus URL] [--max-output-chars N]",
  "",
  "Serves the aisre MCP tools over stdio (for a desktop or IDE MCP client), acting as the",
  "identity of the current kubeconfig (KUBECONFIG): every tool asks the API server",
  "(SelfSubjectAccessReview) before it reads or proposes anything. Tools: diagnose,",
  "list_incidents, get_incident, similar_incidents, search_runbooks, query_prometheus,",
  "capacity, find_dashboards (when Grafana is configured), propose_plan (a plan a person",
  "must approve; never executed here), get_task. docs/mcp.md.",
  "",
  "  --prometheus URL        Prometheus for query_prometheus and diagnose (default $AISRE_PROMETHEUS_URL)",
  "  --max-output-chars N    bound of one tool answer (default 60000)",
  "",
  "Environment: KUBECONFIG; DATABASE_URL or AISRE_DATA_DIR for the incident tools (without",
  "either they answer that no store is configured); AISRE_GRAFANA_URL and",
  "AISRE_GRAFANA_TOKEN_FILE for find_dashboards; AISRE_LOG_LEVEL (logs go to stderr).",
  "Over HTTP the same tools are served by `aisre sidecar` at POST /api/v1/mcp.",
].join("\n");

interface Options {
  prometheus?: string;
  maxOutputChars?: number;
}

function options(argv: string[]): Options {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: { prometheus: { type: "string" }, "max-output-chars": { type: "string" } },
      strict: true,
    }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message} (try 'aisre mcp --help')`);
  }
  const max = values["max-output-chars"];
  if (max !== undefined && !/^[1-9]\d{2,6}$/.test(max))
    throw new UsageError("--max-output-chars must be a whole number from 100 to 9999999");
  const prometheus = values.prometheus ?? process.env.AISRE_PROMETHEUS_URL;
  return {
    ...(prometheus ? { prometheus } : {}),
    ...(max ? { maxOutputChars: Number(max) } : {}),
  };
}

export const mcpCommand: Command = {
  name: "mcp",
  summary: "Serve the aisre tools to an MCP client over stdio, as the kubeconfig's identity",
  usage: USAGE,
  async run(argv) {
    const opts = options(argv);
    // Loaded only when serving: `aisre mcp --help` stays instant (docs/adr/0007-cli-startup.md).
    const { serveStdio } = await import("../../../webhooks/mcp/stdio.ts");
    const { productVersion } = await import("./version.ts");
    return serveStdio({ ...opts, version: productVersion() });
  },
};
