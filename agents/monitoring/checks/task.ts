/**
 * The SreTask a firing series becomes (source Monitor), in Alertmanager's alert shape so the
 * task flows like an alert's (classify, diagnose, resolve, reopen: docs/adr/0004), and the
 * patches that resolve and reopen it. Label values and texts pass the redactor: a metric label
 * can carry anything.
 */
import type { Alert, SreTask } from "../../../crds/index.ts";
import { LIMITS, typeMeta } from "../../../crds/index.ts";
import { redactText } from "../../../redact/index.ts";
import { seriesTaskName } from "./identity.ts";
import type { SeriesState } from "./state.ts";
import type { MonitoringCheckSpec } from "./types.ts";

/** Label keys on monitor tasks (selectable with kubectl -l). */
export const MONITOR_LABELS = {
  config: "aisre.io/monitor-config",
  check: "aisre.io/monitor-check",
  fingerprint: "aisre.io/fingerprint",
  alertname: "aisre.io/alertname",
  severity: "aisre.io/severity",
} as const;

const cut = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** A label value valid in Kubernetes (≤ 63, alphanumeric ends), or undefined. */
function labelValue(text: string): string | undefined {
  const v = text
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
  return v || undefined;
}

/** The value as a person reads it: up to 4 significant digits. */
export function formatValue(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(4))) : String(value);
}

/** The alert labels of a series: its own, then the check's, then alertname and severity (rule labels win, as in Prometheus). */
export function alertLabels(check: MonitoringCheckSpec, state: SeriesState): Record<string, string> {
  const merged: Record<string, string> = {
    ...state.labels,
    ...check.labels,
    alertname: check.name,
    severity: check.severity ?? "warning",
  };
  const keys = [
    "alertname",
    "severity",
    ...Object.keys(merged).filter((k) => k !== "alertname" && k !== "severity"),
  ];
  const out: Record<string, string> = {};
  for (const key of keys.slice(0, LIMITS.alertLabels)) out[key] = cut(redactText(merged[key]!), 1024);
  return out;
}

/** spec.alert of a firing series: labels, the value and query as annotations, startsAt. */
export function firingAlert(check: MonitoringCheckSpec, state: SeriesState): Alert {
  const value = formatValue(state.value);
  const about = check.description ? `${check.description}: ` : "";
  return {
    fingerprint: state.fingerprint,
    status: "firing",
    labels: alertLabels(check, state),
    annotations: {
      summary: cut(redactText(`${about}${check.name} returned ${value}`), LIMITS.text),
      ...(check.description ? { description: cut(redactText(check.description), LIMITS.text) } : {}),
      value,
      promql: cut(check.promql, LIMITS.text),
      for: check.for ?? "5m",
    },
    startsAt: iso(state.firingSince ?? state.activeSince),
  };
}

/** The SreTask of a firing series, in the AgentConfig's namespace whatever namespace the series names. */
export function monitorTask(
  namespace: string,
  config: string,
  check: MonitoringCheckSpec,
  state: SeriesState,
): SreTask {
  const alert = firingAlert(check, state);
  const labels: Record<string, string> = {};
  const put = (key: string, value: string) => {
    const v = labelValue(value);
    if (v) labels[key] = v;
  };
  put(MONITOR_LABELS.config, config);
  put(MONITOR_LABELS.check, check.name);
  put(MONITOR_LABELS.fingerprint, state.fingerprint);
  put(MONITOR_LABELS.alertname, check.name);
  put(MONITOR_LABELS.severity, check.severity ?? "warning");
  return {
    ...typeMeta("SreTask"),
    metadata: { name: seriesTaskName(check.name, state.fingerprint), namespace, labels },
    spec: {
      source: "Monitor",
      description: alert.annotations!.summary!,
      alert,
      agentConfigRef: { name: config },
    },
  };
}

/** The merge patch that marks a task's alert resolved at `at`. */
export function resolvedPatch(at: number): { spec: { alert: { status: "resolved"; endsAt: string } } } {
  return { spec: { alert: { status: "resolved", endsAt: iso(at) } } };
}
