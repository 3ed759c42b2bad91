/**
 * The MCP `capacity` tool: requests and limits against p95 usage and the memory trend of each
 * workload of a namespace, from Prometheus (capacity.ts builds the PromQL and shapes it).
 * Read-only, held to the namespace the caller may read pods in, like query_prometheus.
 */
import { PrometheusClient } from "../../tools/prometheus/client.ts";
import { HttpError } from "../errors.ts";
import type { CapacityAnswers, CapacityQuery } from "./capacity.ts";
import { capacityQueries, presenceQuery, renderCapacity, shapeCapacity } from "./capacity.ts";
import type { ToolRun } from "./tools-cluster.ts";

const DEFAULT_WINDOW_HOURS = 24;

/** The capacity tool. */
export const capacityTool: ToolRun = async (caller, args) => {
  const namespace = args.namespace as string;
  const workload = args.workload as string | undefined;
  const windowHours = (args.windowHours as number | undefined) ?? DEFAULT_WINDOW_HOURS;
  await caller.authorize({ verb: "list", resource: "pods", group: "", namespace });
  if (!caller.prometheusUrl)
    return [
      "Prometheus is not configured (set AISRE_PROMETHEUS_URL or --prometheus): no capacity figures without it.",
    ];
  const client = new PrometheusClient(caller.prometheusUrl);
  const scope = { namespace, windowHours, ...(workload ? { workload } : {}) };
  const answers: CapacityAnswers = {};
  let present: string[];
  try {
    present = (await client.query(presenceQuery(namespace))).map((s) => s.labels.__name__ ?? "");
    const queries = Object.entries(capacityQueries(scope)) as [CapacityQuery, string][];
    // One after another: Prometheus is shared, and nine small queries are quick.
    for (const [name, promql] of queries) {
      const samples = await client.query(promql);
      answers[name] = new Map(samples.map((s) => [s.labels.workload ?? "", s.value]));
    }
  } catch (err) {
    throw new HttpError(502, `Prometheus: ${err instanceof Error ? err.message : String(err)}`);
  }
  const view = shapeCapacity(scope, answers, present);
  caller.logger.info(
    { namespace, workloads: view.workloads.length, missing: view.missing, user: caller.username },
    "Answered a capacity view over MCP",
  );
  return [renderCapacity(view), JSON.stringify(view, null, 1)];
};
