/**
 * The MCP tools over the cluster: diagnose (the deterministic engine on live objects),
 * search_runbooks, query_prometheus (namespace-scoped PromQL, bounded), get_task and
 * propose_plan (a RemediationPlan awaiting a person's approval; never approved or run here).
 * Each asks caller.authorize first, so a caller reads only namespaces its identity may read.
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import { diagnose } from "../../agents/diagnosis/diagnose.ts";
import { canonicalKind } from "../../agents/diagnosis/focus.ts";
import { apiLister } from "../../agents/diagnosis/live/api-lister.ts";
import { liveView } from "../../agents/diagnosis/live/view.ts";
import { unscopedSelector } from "../../agents/diagnosis/llm/scope.ts";
import { collectMetrics } from "../../agents/diagnosis/metrics/index.ts";
import { renderText } from "../../agents/diagnosis/render.ts";
import { runbookHits } from "../../agents/diagnosis/llm/runbook-search.ts";
import { MemoryView } from "../../agents/diagnosis/view.ts";
import type { K8sObject } from "../../agents/diagnosis/k8s.ts";
import { apiVersionOf, collectionPath, objectPath, KubeClient } from "../../kube/kube-api.ts";
import { REMEDIATIONPLAN, RUNBOOK, SRETASK } from "../../crds/resources.ts";
import { PrometheusClient } from "../../tools/prometheus/client.ts";
import { HttpError, fromKubeError } from "../errors.ts";
import type { McpCaller } from "./context.ts";

type Args = Record<string, unknown>;
/** A tool's answer: text parts (redacted and bounded by the server). */
export type ToolRun = (caller: McpCaller, args: Args) => Promise<string[]>;

const PODS = (namespace: string) => ({ verb: "list", resource: "pods", group: "", namespace });
const MAX_SERIES = 50;
const MAX_POINTS = 120;

const json = (v: unknown): string => JSON.stringify(v, null, 1);

/** The object without managedFields, the noise of every GET. */
function clean<T extends KubernetesObject>(obj: T): T {
  const { managedFields: _drop, ...metadata } = obj.metadata ?? {};
  return { ...obj, metadata };
}

async function kubeGet<T>(caller: McpCaller, path: string, what: string): Promise<T> {
  try {
    return await KubeClient.fromKubeConfig(caller.kc).request<T>("GET", path);
  } catch (err) {
    throw fromKubeError(err, what);
  }
}

const diagnoseTool: ToolRun = async (caller, args) => {
  const namespace = args.namespace as string;
  await caller.authorize(PODS(namespace));
  const [kind, name] = typeof args.target === "string" ? args.target.split("/") : [];
  const target = kind && name ? { kind: canonicalKind(kind), namespace, name } : undefined;
  const metrics = caller.prometheusUrl
    ? await collectMetrics(new PrometheusClient(caller.prometheusUrl), { namespace })
    : undefined;
  let view;
  try {
    view = await liveView(apiLister(caller.kc, namespace, caller.logger));
  } catch (err) {
    throw fromKubeError(err, `reading namespace ${namespace}`);
  }
  const result = diagnose(view, target ? { target } : {}, metrics ? { metrics } : {});
  caller.logger.info(
    { namespace, user: caller.username, rootCause: result.rootCause?.category },
    "Diagnosed over MCP",
  );
  return [renderText(result, false), json(result)];
};

const searchRunbooks: ToolRun = async (caller, args) => {
  const namespace = args.namespace as string;
  await caller.authorize({ verb: "list", resource: RUNBOOK.plural, namespace });
  const list = await kubeGet<{ items: K8sObject[] }>(
    caller,
    collectionPath(RUNBOOK, namespace),
    "listing runbooks",
  );
  const items = list.items.map((rb) => ({
    ...rb,
    apiVersion: rb.apiVersion ?? apiVersionOf(RUNBOOK),
    kind: "Runbook",
  }));
  const hits = runbookHits(
    new MemoryView(items),
    args.category as string | undefined,
    args.query as string | undefined,
  );
  return [typeof hits === "string" ? hits : json(hits)];
};

const queryPrometheus: ToolRun = async (caller, args) => {
  const namespace = args.namespace as string;
  const promql = args.promql as string;
  const unscoped = unscopedSelector(promql, namespace);
  if (unscoped)
    throw new HttpError(
      400,
      `${unscoped}: every selector must match namespace="${namespace}" exactly`,
      "promql",
    );
  await caller.authorize(PODS(namespace));
  if (!caller.prometheusUrl)
    return ["Prometheus is not configured (set AISRE_PROMETHEUS_URL or --prometheus)"];
  const client = new PrometheusClient(caller.prometheusUrl);
  try {
    if (args.rangeMinutes === undefined) {
      const samples = await client.query(promql);
      return [json({ series: samples.length, samples: samples.slice(0, MAX_SERIES) })];
    }
    const minutes = args.rangeMinutes as number;
    const end = new Date();
    const step = Math.max(
      (args.stepSeconds as number | undefined) ?? 15,
      Math.ceil((minutes * 60) / MAX_POINTS),
    );
    const series = await client.queryRange(promql, new Date(end.getTime() - minutes * 60_000), end, step);
    const bounded = series.slice(0, MAX_SERIES).map((s) => ({ ...s, points: s.points.slice(-MAX_POINTS) }));
    return [json({ series: series.length, stepSeconds: step, result: bounded })];
  } catch (err) {
    throw new HttpError(502, `Prometheus: ${err instanceof Error ? err.message : String(err)}`);
  }
};

const getTask: ToolRun = async (caller, args) => {
  const { namespace, name } = args as { namespace: string; name: string };
  await caller.authorize({ verb: "get", resource: SRETASK.plural, namespace, name });
  return [
    json(
      clean(
        await kubeGet<KubernetesObject>(
          caller,
          objectPath(SRETASK, namespace, name),
          `reading SreTask ${namespace}/${name}`,
        ),
      ),
    ),
  ];
};

const proposePlan: ToolRun = async (caller, args) => {
  const namespace = args.namespace as string;
  await caller.authorize({ verb: "create", resource: REMEDIATIONPLAN.plural, namespace });
  const body = {
    apiVersion: apiVersionOf(REMEDIATIONPLAN),
    kind: "RemediationPlan",
    metadata: {
      generateName: "mcp-",
      namespace,
      labels: { "app.kubernetes.io/created-by": "aisre-mcp" },
      // Who asked, for the approver; the approval itself is spec.approval, which is never set here.
      annotations: { "aisre.io/requested-by": caller.username },
    },
    spec: {
      description: args.description,
      steps: args.steps,
      ...(args.taskName ? { taskRef: { name: args.taskName } } : {}),
    },
  };
  let plan: KubernetesObject;
  try {
    plan = await KubeClient.fromKubeConfig(caller.kc).request<KubernetesObject>(
      "POST",
      collectionPath(REMEDIATIONPLAN, namespace),
      { body },
    );
  } catch (err) {
    throw fromKubeError(err, "creating the RemediationPlan");
  }
  const name = plan.metadata?.name ?? "";
  caller.logger.info({ namespace, plan: name, user: caller.username }, "Proposed a RemediationPlan over MCP");
  return [
    `Created RemediationPlan ${namespace}/${name}. It waits for a person's approval (kubectl aisre approve, REST /api/v1/plans/${namespace}/${name}/approve or WeCom); nothing runs before that.`,
    json(clean(plan)),
  ];
};

/** The cluster tools, by name. */
export const CLUSTER_TOOLS: Record<string, ToolRun> = {
  diagnose: diagnoseTool,
  search_runbooks: searchRunbooks,
  query_prometheus: queryPrometheus,
  get_task: getTask,
  propose_plan: proposePlan,
};
