/**
 * The MCP `find_dashboards` tool: Grafana dashboards and panels about a workload, as links
 * (tools/grafana-search.ts). Grafana is configured for the MCP server by AISRE_GRAFANA_URL and
 * AISRE_GRAFANA_TOKEN_FILE (a mounted Secret key in the sidecar), not by reading the
 * AgentConfig's Secret: the sidecar's ServiceAccount reads no Secrets by design. The token is
 * read from the file on each call (so a rotated Secret is picked up) and never echoed.
 */
import { readFile } from "node:fs/promises";
import { findWorkloadDashboards } from "../../tools/grafana-search.ts";
import { HttpError } from "../errors.ts";
import type { ToolRun } from "./tools-cluster.ts";

/** Where Grafana is and the file holding its service-account token (Viewer suffices). */
export interface McpGrafana {
  url: string;
  tokenFile: string;
}

/** Grafana from AISRE_GRAFANA_URL and AISRE_GRAFANA_TOKEN_FILE; undefined unless both are set. */
export function grafanaFromEnv(env: NodeJS.ProcessEnv = process.env): McpGrafana | undefined {
  const url = env.AISRE_GRAFANA_URL?.trim();
  const tokenFile = env.AISRE_GRAFANA_TOKEN_FILE?.trim();
  if (!url || !tokenFile) return undefined;
  if (!/^https?:\/\//.test(url)) throw new Error("AISRE_GRAFANA_URL must start with http:// or https://");
  return { url, tokenFile };
}

/** The find_dashboards tool; Grafana comes from the caller (the server hides the tool without it). */
export const findDashboards: ToolRun = async (caller, args) => {
  const namespace = args.namespace as string;
  const workload = args.workload as string;
  await caller.authorize({ verb: "list", resource: "pods", group: "", namespace });
  const grafana = caller.grafana;
  if (!grafana) return ["Grafana is not configured (set AISRE_GRAFANA_URL and AISRE_GRAFANA_TOKEN_FILE)."];
  let token: string;
  try {
    token = (await readFile(grafana.tokenFile, "utf8")).trim();
  } catch {
    throw new HttpError(500, "the Grafana token file (AISRE_GRAFANA_TOKEN_FILE) cannot be read");
  }
  let found;
  try {
    found = await findWorkloadDashboards({ url: grafana.url, token }, { name: workload, namespace });
  } catch (err) {
    // The client's message names the path and status only, never the token.
    throw new HttpError(502, err instanceof Error ? err.message : String(err));
  }
  caller.logger.info(
    { namespace, workload, dashboards: found.length, user: caller.username },
    "Found Grafana dashboards over MCP",
  );
  if (found.length === 0)
    return [`No Grafana dashboard or panel names ${workload} (searched for ${workload} and ${namespace}).`];
  const lines = found.flatMap((d) => [
    `- ${d.title}: ${d.url}`,
    ...d.panels.map((p) => `  - ${p.title}: ${p.url}`),
  ]);
  return [
    [`Grafana dashboards about ${namespace}/${workload}:`, ...lines].join("\n"),
    JSON.stringify(found, null, 1),
  ];
};
