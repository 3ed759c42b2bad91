/**
 * A Capacity task's diagnosis (issue 13 §3): the capacity loop's forecast is the first evidence
 * and the root cause, whatever the analyzers find after it, and the recommendations come from
 * the catalog: SetResources with the right-sizing numbers for the namespace's over-requesting
 * workloads when a quota fills, PatchHPA when an autoscaler would hit the quota, else RunbookOnly
 * (expand the volume, add nodes). Pure; reads only the alert and the view.
 */
import type { HorizontalPodAutoscaler } from "./k8s.ts";
import { parseRightSizing } from "../capacity/workloads.ts";
import type { Params } from "./catalog.ts";
import { rec } from "./catalog.ts";
import type {
  Category,
  DiagnosisResult,
  Finding,
  Focus,
  ObjectRef,
  Recommendation,
  ResourceRef,
} from "./types.ts";
import type { ClusterView } from "./view.ts";

/** The alertname the capacity loop opens tasks with (agents/capacity/task.ts). */
export const CAPACITY_ALERTNAME = "CapacityForecast";

const CATEGORY: Record<string, Category> = {
  volume: "DiskFillForecast",
  namespace: "QuotaExceeded",
  node: "NodePressure",
  nodePool: "NodePressure",
};

/** "Kind ns/name" or "Kind name" of the alert's target annotation. */
function parseTarget(text: string | undefined): ResourceRef | undefined {
  const m = /^(\w+) (?:([a-z0-9-]+)\/)?([A-Za-z0-9._-]+)$/.exec(text ?? "");
  return m ? { kind: m[1]!, namespace: m[2] ?? "", name: m[3]! } : undefined;
}

const pub = (r: ResourceRef): ObjectRef => (r.namespace ? r : { kind: r.kind, name: r.name });

function subjectOf(labels: Record<string, string>, notes: Record<string, string>): ResourceRef {
  const t = parseTarget(notes.target);
  if (t) return t;
  if (labels.scope === "nodePool")
    return { kind: "NodePool", namespace: "", name: labels.pool ?? labels.key ?? "" };
  return { kind: "Namespace", namespace: "", name: labels.namespace ?? "" };
}

/** The forecast as evidence lines a person can check against the TSDB. */
function evidenceOf(notes: Record<string, string>, startsAt: string | undefined): string[] {
  const pct = Math.round(Number(notes.utilization) * 100);
  return [
    notes.summary,
    Number.isFinite(pct) ? `utilization ${pct}% (${notes.used} of ${notes.capacity})` : undefined,
    notes.daysToExhaustion
      ? `exhausted in ${notes.daysToExhaustion} days (80% band ${notes.bandEarliest || "?"}–${notes.bandLatest || "?"} days)`
      : undefined,
    notes.trendPerDay
      ? `trend ${notes.trendPerDay}/day (${notes.method ?? "theil-sen"}, ${notes.historyDays ?? "?"} days fitted)`
      : undefined,
    startsAt ? `forecast since ${startsAt}` : undefined,
  ].filter((e): e is string => !!e);
}

/** The forecast's finding, or undefined when the alert is not the capacity loop's. */
export function capacityFinding(focus: Focus): Finding | undefined {
  const alert = focus.alert;
  const labels = alert?.labels ?? {};
  if (labels.alertname !== CAPACITY_ALERTNAME || !labels.scope) return undefined;
  const notes = alert?.annotations ?? {};
  return {
    category: CATEGORY[labels.scope] ?? "NodePressure",
    severity: labels.severity === "critical" ? "critical" : "warning",
    resource: pub(subjectOf(labels, notes)),
    message: `Capacity forecast: ${notes.summary ?? `${labels.key} ${labels.resource} runs out`}`,
    evidence: evidenceOf(notes, alert?.startsAt),
  };
}

/** SetResources per over-requesting workload container, with KRR-style requests and limits. */
function rightSizing(ns: string, text: string | undefined): Recommendation[] {
  return parseRightSizing(text).map((l) => {
    const requests = { ...(l.cpu ? { cpu: l.cpu } : {}), ...(l.memory ? { memory: l.memory } : {}) };
    // CRD params are free-form: SetResources takes requests/limits objects (agents/automation).
    const params = {
      container: l.container,
      requests,
      ...(l.memory ? { limits: { memory: l.memory } } : {}),
    };
    return rec(
      "SetResources",
      { kind: l.kind, namespace: ns, name: l.name },
      `requests cpu ${l.currentCpu ?? "unset"}, memory ${l.currentMemory ?? "unset"} but usage supports ` +
        `cpu ${l.cpu ?? "-"} (p95), memory ${l.memory ?? "-"} (peak + 15%): frees quota`,
      params as unknown as Params,
    );
  });
}

/** PatchHPA for autoscalers whose maxReplicas would take the namespace past its quota: hold them where they are. */
function hpas(view: ClusterView, ns: string): Recommendation[] {
  return view
    .list<HorizontalPodAutoscaler>("HorizontalPodAutoscaler", ns)
    .filter((h) => (h.status?.currentReplicas ?? 0) < (h.spec?.maxReplicas ?? 0))
    .slice(0, 3)
    .map((h) =>
      rec(
        "PatchHPA",
        { kind: "HorizontalPodAutoscaler", namespace: ns, name: h.metadata?.name ?? "" },
        `scaling out to maxReplicas ${h.spec?.maxReplicas} would exceed the quota; cap it at ${h.status?.currentReplicas ?? 1} until the quota is raised`,
        { maxReplicas: Math.max(1, h.status?.currentReplicas ?? 1) },
      ),
    );
}

function runbook(scope: string, subject: ResourceRef, days: string | undefined): string {
  const when = days ? ` before it runs out in ${days} days` : "";
  if (scope === "volume")
    return `expand the PersistentVolumeClaim (raise spec.resources.requests.storage; the StorageClass must allow expansion) or free space${when}`;
  if (scope === "namespace") return `raise the ResourceQuota or right-size the namespace's workloads${when}`;
  return `add nodes to ${subject.kind === "NodePool" ? `node pool ${subject.name}` : `the pool of ${subject.name}`} or move workloads off it${when}`;
}

/** The whole diagnosis of a Capacity task, or undefined when the focus is not a capacity alert. */
export function capacityDiagnosis(
  view: ClusterView,
  focus: Focus,
  findings: readonly Finding[],
): DiagnosisResult | undefined {
  const lead = capacityFinding(focus);
  if (!lead) return undefined;
  const labels = focus.alert!.labels;
  const notes = focus.alert!.annotations ?? {};
  const subject = subjectOf(labels, notes);
  const recommendations: Recommendation[] = [];
  if (labels.scope === "namespace" && labels.namespace) {
    recommendations.push(
      ...rightSizing(labels.namespace, notes.rightSizing),
      ...hpas(view, labels.namespace),
    );
  }
  recommendations.push(rec("RunbookOnly", subject, runbook(labels.scope!, subject, notes.daysToExhaustion)));
  return {
    rootCause: {
      category: lead.category,
      resource: lead.resource,
      summary: notes.summary ?? lead.message,
      // The forecast is measured, not inferred: the band says how sure it is.
      confidence: 0.9,
    },
    findings: [lead, ...findings].slice(0, 30),
    recommendations: recommendations.map((r) => ({ ...r, target: pub(r.target as ResourceRef) })),
  };
}
