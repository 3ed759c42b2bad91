/**
 * The SreTask a forecast inside the horizon becomes (type Capacity, source Monitor): one per
 * (scope, key, resource) of an AgentConfig, named by a SHA-256 of those so a second create is a
 * 409, its alert carrying the forecast (utilization, days with band, trend, method), the target
 * where one exists, and the namespace's right-sizing when a quota fills.
 */
import { createHash } from "node:crypto";
import type { Alert, SreTask } from "../../crds/index.ts";
import { LIMITS, typeMeta } from "../../crds/index.ts";
import { redactText } from "../../redact/index.ts";
import { MONITOR_LABELS, seriesTaskName } from "../monitoring/checks/index.ts";
import type { CapacityItem, CapacityReport } from "./collect.ts";
import type { WorkloadRightSize } from "./workloads.ts";
import { rightSizingAnnotation } from "./workloads.ts";

/** The alertname of capacity tasks; the diagnosis reads its forecast from this alert. */
export const CAPACITY_ALERTNAME = "CapacityForecast";

/** What a Capacity task is about, when it names an object. */
export interface CapacityTarget {
  kind: "PersistentVolumeClaim" | "ResourceQuota" | "Node" | "Namespace";
  namespace?: string;
  name: string;
}

/** The identity of a task: one per (scope, key, resource). */
export const identityOf = (i: Pick<CapacityItem, "scope" | "key" | "resource">): string =>
  `${i.scope}\0${i.key}\0${i.resource}`;

/** The deterministic task name: `monitor-capacity-<scope>-<16 hex of SHA-256>`. */
export function capacityTaskName(
  config: string,
  item: Pick<CapacityItem, "scope" | "key" | "resource">,
): string {
  const fp = createHash("sha256")
    .update(`${config}\0${identityOf(item)}`)
    .digest("hex")
    .slice(0, 16);
  return seriesTaskName(`capacity-${item.scope.toLowerCase()}`, fp);
}

/** The items that run out within `horizonDays`, one per (scope, key, resource): the soonest measure. */
export function withinHorizon(report: CapacityReport, horizonDays: number): CapacityItem[] {
  const best = new Map<string, CapacityItem>();
  for (const item of report.items) {
    const days = item.forecast?.daysToExhaustion;
    if (days === null || days === undefined || days > horizonDays) continue;
    const id = identityOf(item);
    const seen = best.get(id)?.forecast?.daysToExhaustion;
    if (seen === undefined || seen === null || days < seen) best.set(id, item);
  }
  return [...best.values()];
}

/** The object a forecast is about: the PVC, the node, the namespace's quota (by name when known). */
export function targetOf(item: CapacityItem, quotaName?: string): CapacityTarget | undefined {
  const [first = "", second = ""] = item.key.split("/");
  if (item.scope === "volume") return { kind: "PersistentVolumeClaim", namespace: first, name: second };
  if (item.scope === "node") return { kind: "Node", name: item.key };
  if (item.scope === "namespace")
    return quotaName
      ? { kind: "ResourceQuota", namespace: first, name: quotaName }
      : { kind: "Namespace", name: first };
  return undefined;
}

const num = (n: number): string => String(Number(n.toPrecision(4)));
const band = (f: NonNullable<CapacityItem["forecast"]>) =>
  `${f.band.earliest ?? "?"}–${f.band.latest ?? "?"}`;

/** The forecast in one sentence, as a person reads it. */
export function forecastSentence(item: CapacityItem): string {
  const f = item.forecast!;
  const what = item.scope === "namespace" ? `quota ${item.resource}` : `${item.resource} ${item.measure}`;
  return (
    `${item.scope} ${item.key} ${what} is at ${Math.round(f.utilization * 100)}% and runs out in ` +
    `${f.daysToExhaustion} days (80% band ${band(f)} days), growing ${num(f.slopePerDay)}/day`
  );
}

/** What a Capacity task needs besides the forecast. */
export interface CapacityTaskOptions {
  severity: string;
  target?: CapacityTarget;
  /** The namespace's over-requesting workloads (quota forecasts). */
  rightSizing?: readonly WorkloadRightSize[];
  now: number;
}

/** spec.alert of a forecast: labels name it, annotations carry the numbers. */
export function capacityAlert(config: string, item: CapacityItem, opts: CapacityTaskOptions): Alert {
  const f = item.forecast!;
  const fingerprint = capacityTaskName(config, item).slice(-16);
  const [ns, name] = item.key.split("/");
  const labels: Record<string, string> = {
    alertname: CAPACITY_ALERTNAME,
    severity: opts.severity,
    scope: item.scope,
    key: item.key,
    resource: item.resource,
    measure: item.measure,
  };
  if (item.scope === "volume") Object.assign(labels, { namespace: ns, persistentvolumeclaim: name });
  if (item.scope === "namespace") labels.namespace = ns!;
  if (item.scope === "node") labels.node = item.key;
  if (item.scope === "nodePool") labels.pool = item.key;
  const t = opts.target;
  const annotations: Record<string, string> = {
    summary: forecastSentence(item),
    utilization: num(f.utilization),
    used: num(f.lastPeak),
    capacity: num(f.capacity),
    daysToExhaustion: String(f.daysToExhaustion),
    bandEarliest: String(f.band.earliest ?? ""),
    bandLatest: String(f.band.latest ?? ""),
    trendPerDay: num(f.slopePerDay),
    method: f.seasonality === "weekly" ? "theil-sen+weekly" : "theil-sen",
    historyDays: String(f.days),
  };
  if (t) annotations.target = `${t.kind} ${t.namespace ? `${t.namespace}/` : ""}${t.name}`;
  if (opts.rightSizing?.length)
    annotations.rightSizing = rightSizingAnnotation(opts.rightSizing, LIMITS.text);
  for (const k of Object.keys(annotations))
    annotations[k] = redactText(annotations[k]!).slice(0, LIMITS.text);
  return {
    fingerprint,
    status: "firing",
    labels,
    annotations,
    startsAt: new Date(opts.now).toISOString().replace(/\.\d{3}Z$/, "Z"),
  };
}

/** A Kubernetes label value (≤ 63, alphanumeric ends), or undefined. */
function labelValue(text: string): string | undefined {
  const v = text
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
  return v || undefined;
}

/** The Capacity SreTask of a forecast, in the AgentConfig's namespace. */
export function capacityTask(
  namespace: string,
  config: string,
  item: CapacityItem,
  opts: CapacityTaskOptions,
): SreTask {
  const alert = capacityAlert(config, item, opts);
  const labels: Record<string, string> = {};
  for (const [k, v] of [
    [MONITOR_LABELS.config, config],
    [MONITOR_LABELS.check, "capacity"],
    [MONITOR_LABELS.fingerprint, alert.fingerprint!],
    [MONITOR_LABELS.alertname, CAPACITY_ALERTNAME],
    [MONITOR_LABELS.severity, opts.severity],
  ] as const) {
    const value = labelValue(v);
    if (value) labels[k] = value;
  }
  return {
    ...typeMeta("SreTask"),
    metadata: { name: capacityTaskName(config, item), namespace, labels },
    spec: {
      type: "Capacity",
      source: "Monitor",
      description: alert.annotations!.summary!,
      alert,
      agentConfigRef: { name: config },
    },
  };
}

/** The (scope, key, resource) identity of an open capacity task, from its alert labels. */
export function taskIdentity(task: SreTask): string | undefined {
  const l = task.spec.alert?.labels;
  if (l?.alertname !== CAPACITY_ALERTNAME || !l.scope || !l.key || !l.resource) return undefined;
  return identityOf({ scope: l.scope as CapacityItem["scope"], key: l.key, resource: l.resource });
}
