/**
 * The Prometheus side of a live diagnosis: when the AgentConfig names a Prometheus
 * (spec.tools.prometheus.url), the metric evidence is fetched before the pure engine runs,
 * and the view gets a PromQL hook for the optional LLM's read-only tool.
 */
import type { MetricEvidence } from "../../agents/diagnosis/metrics/index.ts";
import { collectMetrics } from "../../agents/diagnosis/metrics/index.ts";
import type { Focus } from "../../agents/diagnosis/types.ts";
import type { PromQuery } from "../../agents/diagnosis/view.ts";
import type { AgentConfig } from "../../crds/index.ts";
import { PrometheusClient } from "../../tools/prometheus/client.ts";

/** What the run reads from Prometheus: evidence for the engine, a hook for the LLM. */
export interface MetricInputs {
  metrics?: MetricEvidence;
  prometheus?: PromQuery;
}

/** The namespace the run is about: its target's, its alert's, else the operator's watch scope. */
export function metricNamespace(focus: Focus, watched: string | undefined): string | undefined {
  return focus.target?.namespace || focus.alert?.labels.namespace || watched || undefined;
}

/** Fetches the metric evidence when a Prometheus is configured; never throws for Prometheus faults. */
export async function metricInputs(
  config: AgentConfig | undefined,
  focus: Focus,
  watched: string | undefined,
): Promise<MetricInputs> {
  const url = config?.spec.tools?.prometheus?.url;
  if (!url) return {};
  const client = new PrometheusClient(url);
  const namespace = metricNamespace(focus, watched);
  const metrics = await collectMetrics(client, namespace ? { namespace } : {});
  return { metrics, prometheus: (expr) => client.query(expr) };
}
