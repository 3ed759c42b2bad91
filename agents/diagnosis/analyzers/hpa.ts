/**
 * HorizontalPodAutoscalers pinned at maxReplicas while their metric is above
 * target (ScalingLimited TooManyReplicas: "the desired replica count is more
 * than the maximum replica count"). At max but under target is capacity, not an incident.
 */
import { rec } from "../catalog.ts";
import { showEvent } from "../events.ts";
import type { Fault } from "../fault.ts";
import type { Condition, HorizontalPodAutoscaler, MetricSpec, MetricTarget, Pod, Workload } from "../k8s.ts";
import { condition } from "../k8s.ts";
import { podsOfWorkload } from "../owners.ts";
import { parseQuantity } from "../quantity.ts";
import { ref, refKey, refOf } from "../refs.ts";
import type { ClusterView } from "../view.ts";
import type { Analyzer } from "./analyzer.ts";
import { DEPTH } from "./analyzer.ts";
import { freshEvents } from "./util.ts";

interface Pressure {
  text: string;
  ratio: number;
}

function metricBody(
  m: MetricSpec,
): { name: string; target?: MetricTarget; current?: MetricTarget } | undefined {
  const body = m.resource ?? m.containerResource ?? m.pods ?? m.object ?? m.external;
  if (!body) return undefined;
  const name =
    "name" in body && typeof body.name === "string"
      ? body.name
      : ((body as { metric?: { name: string } }).metric?.name ?? m.type);
  return { name, target: body.target, current: body.current };
}

function ratioOf(target: MetricTarget | undefined, current: MetricTarget | undefined): number | undefined {
  if (!target || !current) return undefined;
  if (target.averageUtilization !== undefined && current.averageUtilization !== undefined) {
    return current.averageUtilization / target.averageUtilization;
  }
  const t = parseQuantity(target.averageValue ?? target.value);
  const c = parseQuantity(current.averageValue ?? current.value);
  return t && c !== undefined ? c / t : undefined;
}

function show(t: MetricTarget | undefined): string {
  if (!t) return "?";
  return t.averageUtilization !== undefined
    ? `${t.averageUtilization}%`
    : String(t.averageValue ?? t.value ?? "?");
}

/** Metrics above target, as "cpu 185% > target 70%". */
function v1Pressure(hpa: HorizontalPodAutoscaler): Pressure[] {
  const target = hpa.spec?.targetCPUUtilizationPercentage;
  const current = hpa.status?.currentCPUUtilizationPercentage;
  if (!target || current === undefined || current <= target) return [];
  return [{ text: `cpu ${current}% > target ${target}%`, ratio: current / target }];
}

function pressures(hpa: HorizontalPodAutoscaler): Pressure[] {
  const out = v1Pressure(hpa);
  const currents = (hpa.status?.currentMetrics ?? []).map(metricBody);
  for (const spec of hpa.spec?.metrics ?? []) {
    const s = metricBody(spec);
    if (!s) continue;
    const cur = currents.find((c) => c?.name === s.name);
    const ratio = ratioOf(s.target, cur?.current);
    if (ratio !== undefined && ratio > 1)
      out.push({ text: `${s.name} ${show(cur?.current)} > target ${show(s.target)}`, ratio });
  }
  return out;
}

function isLimited(hpa: HorizontalPodAutoscaler): Condition | undefined {
  const limited = condition(hpa.status?.conditions, "ScalingLimited");
  const text = `${limited?.reason ?? ""} ${limited?.message ?? ""}`;
  return limited?.status === "True" && /TooManyReplicas|more than the maximum/i.test(text)
    ? limited
    : undefined;
}

function atMax(hpa: HorizontalPodAutoscaler): boolean {
  const max = hpa.spec?.maxReplicas;
  const cur = hpa.status?.currentReplicas ?? 0;
  return !!max && Math.max(cur, hpa.status?.desiredReplicas ?? cur) >= max;
}

function targetPods(view: ClusterView, hpa: HorizontalPodAutoscaler): Pod[] {
  const target = hpa.spec?.scaleTargetRef;
  const workload = target
    ? view.get<Workload>(target.kind, hpa.metadata?.namespace ?? "", target.name)
    : undefined;
  return workload ? podsOfWorkload(view, workload) : [];
}

function hpaEvidence(
  view: ClusterView,
  hpa: HorizontalPodAutoscaler,
  over: Pressure[],
  limited: Condition | undefined,
): string[] {
  const evidence = [
    `status.currentReplicas=${hpa.status?.currentReplicas ?? 0} == spec.maxReplicas=${hpa.spec?.maxReplicas ?? 0}`,
    ...over.map((p) => p.text),
  ];
  if (limited)
    evidence.push(`condition ScalingLimited=True reason=${limited.reason ?? "?"}: ${limited.message ?? ""}`);
  const warning = freshEvents(view, hpa).find((e) => e.type === "Warning");
  if (warning) evidence.push(showEvent(warning));
  return evidence;
}

function proposeMax(max: number, worst: number): number {
  return Math.max(max + 1, Math.ceil(max * Math.min(2, Math.max(1.5, worst))));
}

function hpaFault(
  view: ClusterView,
  hpa: HorizontalPodAutoscaler,
  over: Pressure[],
  limited: Condition | undefined,
): Fault {
  const max = hpa.spec?.maxReplicas ?? 0;
  const target = hpa.spec?.scaleTargetRef;
  const worst = Math.max(1, ...over.map((p) => p.ratio));
  const scales = target ? ` (scales ${target.kind} ${target.name})` : "";
  const first = over[0];
  return {
    category: "HPAMaxedOut",
    severity: worst >= 1.2 || limited ? "critical" : "warning",
    resource: refOf(hpa),
    // The workload it scales is what the user acts on (capacity, limits, the HPA itself).
    subject: target ? ref(target.kind, hpa.metadata?.namespace, target.name) : refOf(hpa),
    message: `HorizontalPodAutoscaler ${hpa.metadata?.name} is at maxReplicas ${max}${first ? ` with ${first.text}` : ""}${scales}`,
    evidence: hpaEvidence(view, hpa, over, limited),
    pods: targetPods(view, hpa).map((p) => refKey(refOf(p))),
    facts: { maxReplicas: max, proposedMaxReplicas: proposeMax(max, worst), detail: first?.text },
    strength: limited && first ? 0.95 : 0.8,
  };
}

/** One fault per autoscaler that is maxed out above its target. */
export function analyzeHPAs(view: ClusterView): Fault[] {
  const out: Fault[] = [];
  for (const hpa of view.list<HorizontalPodAutoscaler>("HorizontalPodAutoscaler")) {
    if (!atMax(hpa)) continue;
    const limited = isLimited(hpa);
    const over = pressures(hpa);
    if (limited || over.length > 0) out.push(hpaFault(view, hpa, over, limited));
  }
  return out;
}

/** Autoscalers pinned at maxReplicas above target. */
export const hpasAnalyzer: Analyzer = {
  name: "hpas",
  categories: ["HPAMaxedOut"],
  owns: [
    {
      category: "HPAMaxedOut",
      depth: DEPTH.edge,
      runbook: "check capacity and the cost of more replicas",
      actions: (f) => [
        rec("PatchHPA", f.resource, `at maxReplicas ${f.facts.maxReplicas ?? "?"} above target`, {
          maxReplicas: f.facts.proposedMaxReplicas ?? 0,
        }),
      ],
    },
  ],
  analyze: ({ view }) => analyzeHPAs(view),
};
