/**
 * The Prometheus side of a live diagnosis: when the AgentConfig names a Prometheus
 * (spec.tools.prometheus.url), the metric evidence is fetched before the pure engine runs,
 * and the view gets a PromQL hook for the optional LLM's read-only tool.
 */
import type { MetricEvidence, Thresholds } from "../../agents/diagnosis/metrics/index.ts";
import { collectMetrics, THRESHOLDS } from "../../agents/diagnosis/metrics/index.ts";
import type { Focus } from "../../agents/diagnosis/types.ts";
import type { PromQuery } from "../../agents/diagnosis/view.ts";
import type { AgentConfig } from "../../crds/index.ts";
import { PrometheusClient } from "../../tools/prometheus/client.ts";

/** What the run reads from Prometheus: evidence and thresholds for the engine, a hook for the LLM. */
export interface MetricInputs {
  metrics?: MetricEvidence;
  thresholds?: Partial<Thresholds>;
  prometheus?: PromQuery;
}

type PrometheusTool = NonNullable<NonNullable<AgentConfig["spec"]["tools"]>["prometheus"]>;

/** The engine thresholds an AgentConfig sets (critical levels move up with a higher warning level). */
export function thresholdsOf(tool: PrometheusTool): Partial<Thresholds> {
  const t = tool.thresholds ?? {};
  const out: Partial<Thresholds> = {};
  if (t.errorRatio !== undefined) {
    out.errorRatioWarning = t.errorRatio;
    out.errorRatioCritical = Math.max(THRESHOLDS.errorRatioCritical, t.errorRatio);
  }
  if (t.latencyP99Seconds !== undefined) {
    out.latencyP99WarningSeconds = t.latencyP99Seconds;
    out.latencyP99CriticalSeconds = Math.max(THRESHOLDS.latencyP99CriticalSeconds, 5 * t.latencyP99Seconds);
  }
  if (t.throttledShare !== undefined) {
    out.throttledShareWarning = t.throttledShare;
    out.throttledShareCritical = Math.max(THRESHOLDS.throttledShareCritical, t.throttledShare);
  }
  if (t.memoryHorizonHours !== undefined) out.memoryHorizonSeconds = t.memoryHorizonHours * 3600;
  if (t.diskHorizonHours !== undefined) out.diskHorizonSeconds = t.diskHorizonHours * 3600;
  return out;
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
  const tool = config?.spec.tools?.prometheus;
  if (!tool?.url) return {};
  const client = new PrometheusClient(tool.url, (tool.timeoutSeconds ?? 10) * 1000);
  const namespace = metricNamespace(focus, watched);
  const thresholds = thresholdsOf(tool);
  const metrics = await collectMetrics(client, { ...(namespace ? { namespace } : {}), thresholds });
  return { metrics, thresholds, prometheus: (expr) => client.query(expr) };
}
