/**
 * A diagnosis opened by the anomaly detector starts with the detector's evidence: the first
 * finding names the workload and carries the numbers (value, seasonal expectation, MADs,
 * when it began), whatever the analyzers find after it. Pure; reads only the alert and view.
 */
import type { Category, Finding, Focus, Severity } from "./types.ts";
import type { ClusterView } from "./view.ts";

/** The alertname the anomaly loop opens tasks with (agents/anomaly/tasks.ts). */
const ANOMALY_ALERTNAME = "AnomalyDetected";

/** The category closest to each signal's deviation (a traffic drop: nothing reaches the pods). */
const CATEGORY: Record<string, Category> = {
  requestRate: "ServiceNoEndpoints",
  errorRatio: "HighErrorRate",
  latencyP99: "HighLatency",
  cpu: "CPUThrottling",
  memory: "MemoryLeak",
  restarts: "CrashLoop",
};

const SEVERITIES: readonly Severity[] = ["critical", "warning", "info"];

function workloadKind(view: ClusterView, labels: Record<string, string>, ns: string, name: string): string {
  if (labels.deployment) return "Deployment";
  if (labels.statefulset) return "StatefulSet";
  if (view.get("StatefulSet", ns, name)) return "StatefulSet";
  return "Deployment";
}

function evidenceOf(notes: Record<string, string>, startsAt: string | undefined): string[] {
  return [
    notes.description,
    notes.value && notes.expected ? `value ${notes.value}, expected ${notes.expected}` : undefined,
    notes.score ? `deviation ${notes.score} (robust z-score against the seasonal baseline)` : undefined,
    startsAt ? `anomalous since ${startsAt}` : undefined,
  ].filter((e): e is string => !!e);
}

/** The anomaly's finding, or undefined when the alert is not the anomaly detector's. */
export function anomalyFinding(view: ClusterView, focus: Focus): Finding | undefined {
  const alert = focus.alert;
  const labels = alert?.labels ?? {};
  if (labels.alertname !== ANOMALY_ALERTNAME || !labels.workload) return undefined;
  const signal = labels.signal ?? "";
  const ns = labels.namespace ?? "";
  const name = labels.workload;
  const notes = alert?.annotations ?? {};
  return {
    category: CATEGORY[signal] ?? "HighErrorRate",
    severity: SEVERITIES.includes(labels.severity as Severity) ? (labels.severity as Severity) : "warning",
    resource: { kind: workloadKind(view, labels, ns, name), namespace: ns, name },
    message: `Anomaly: ${notes.summary ?? `${signal} of ${name} left its baseline`}`,
    evidence: evidenceOf(notes, alert?.startsAt),
  };
}

/** The findings with the anomaly's first, when the focus is an anomaly alert (at most `max`). */
export function withMonitorEvidence(
  view: ClusterView,
  focus: Focus,
  findings: Finding[],
  max = 30,
): Finding[] {
  const lead = anomalyFinding(view, focus);
  return lead ? [lead, ...findings].slice(0, max) : findings;
}
