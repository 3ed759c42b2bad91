/**
 * PodDisruptionBudgets that allow no disruption AND are blocking something: an
 * eviction refused ("Cannot evict pod as it would violate the pod's disruption
 * budget"), or a cordoned node still holding the pods they protect. A budget at
 * its limit with nothing waiting on it is configuration, reported as info.
 */
import type { ClusterEvent } from "../events.ts";
import { showEvent } from "../events.ts";
import type { Fault } from "../fault.ts";
import type { Node, Pod, PodDisruptionBudget } from "../k8s.ts";
import { condition } from "../k8s.ts";
import { workloadOf } from "../owners.ts";
import { key, refKey, refOf } from "../refs.ts";
import type { ResourceRef } from "../types.ts";
import type { ClusterView } from "../view.ts";
import type { Analyzer } from "./analyzer.ts";
import { DEPTH } from "./analyzer.ts";
import { isFresh } from "./util.ts";

const EVICTION_BLOCKED = /disruption budget|Cannot evict pod/i;

function evictionEvents(view: ClusterView): ClusterEvent[] {
  return view.allEvents().filter((e) => EVICTION_BLOCKED.test(e.message) && isFresh(view, e, 6 * 3600_000));
}

function blockedEvidence(
  view: ClusterView,
  pdb: PodDisruptionBudget,
  pods: Pod[],
  events: ClusterEvent[],
): string[] {
  const name = pdb.metadata?.name ?? "";
  const ns = pdb.metadata?.namespace ?? "";
  const podKeys = new Set(pods.map((p) => key("Pod", ns, p.metadata?.name ?? "")));
  const out: string[] = [];
  const hit = events.find((e) => {
    const r = e.regarding;
    if (r.kind === "PodDisruptionBudget") return r.name === name && (r.namespace ?? e.namespace) === ns;
    if (r.kind === "Pod") return podKeys.has(key("Pod", r.namespace ?? e.namespace, r.name ?? ""));
    return e.message.includes(name) || pods.some((p) => e.message.includes(p.metadata?.name ?? "\u0000"));
  });
  if (hit) out.push(showEvent(hit));
  const draining = pods
    .map((p) => p.spec?.nodeName)
    .filter((n): n is string => !!n)
    .map((n) => ({ n, why: drainSign(view, view.get<Node>("Node", "", n)) }))
    .find((d) => d.why);
  if (draining)
    out.push(
      `node ${draining.n} is being drained (${draining.why}) and still runs pods this budget protects`,
    );
  return out;
}

const DRAIN_TAINTS =
  /node\.kubernetes\.io\/unschedulable|karpenter\.sh\/disrupt|ToBeDeletedByClusterAutoscaler|DeletionCandidateOfClusterAutoscaler/;

/** Why a node looks drained (cordoned, being deleted, autoscaler taints, drain events), or undefined. */
function drainSign(view: ClusterView, node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if (node.spec?.unschedulable) return "spec.unschedulable=true";
  if (node.metadata?.deletionTimestamp) return "metadata.deletionTimestamp set";
  const taint = node.spec?.taints?.find((t) => DRAIN_TAINTS.test(t.key));
  if (taint) return `taint ${taint.key}`;
  const ev = view
    .eventsFor(node)
    .find((e) => /drain/i.test(e.reason) && e.type === "Warning" && isFresh(view, e));
  return ev ? showEvent(ev) : undefined;
}

/** The workload most of the protected pods belong to (the one to scale or fix). */
function protectedWorkload(view: ClusterView, pods: Pod[]): ResourceRef | undefined {
  const count = new Map<string, { r: ResourceRef; n: number }>();
  for (const p of pods) {
    const r = workloadOf(view, p);
    const c = count.get(refKey(r)) ?? { r, n: 0 };
    c.n++;
    count.set(refKey(r), c);
  }
  return [...count.values()].sort((a, b) => b.n - a.n)[0]?.r;
}

/** One fault per budget that allows no disruption; critical when something waits on it. */
export function analyzePDBs(view: ClusterView): Fault[] {
  const events = evictionEvents(view);
  return view
    .list<PodDisruptionBudget>("PodDisruptionBudget")
    .filter((pdb) => pdb.status?.disruptionsAllowed === 0)
    .map((pdb) => pdbFault(view, pdb, events));
}

function budgetText(pdb: PodDisruptionBudget): string {
  const spec = pdb.spec ?? {};
  return spec.minAvailable !== undefined
    ? `minAvailable=${spec.minAvailable}`
    : `maxUnavailable=${spec.maxUnavailable}`;
}

function budgetEvidence(pdb: PodDisruptionBudget, spec: string, blocked: string[]): string[] {
  const s = pdb.status ?? {};
  const cond = condition(s.conditions, "DisruptionAllowed");
  return [
    `status.disruptionsAllowed=0 (currentHealthy=${s.currentHealthy ?? "?"}, desiredHealthy=${s.desiredHealthy ?? "?"}, expectedPods=${s.expectedPods ?? "?"})`,
    `spec.${spec}`,
    ...(cond ? [`condition DisruptionAllowed=${cond.status} reason=${cond.reason ?? "?"}`] : []),
    ...blocked,
  ];
}

function pdbFault(view: ClusterView, pdb: PodDisruptionBudget, events: ClusterEvent[]): Fault {
  const s = pdb.status ?? {};
  const pods = [...view.podsSelected(pdb.metadata?.namespace ?? "", pdb.spec?.selector)];
  const blocked = blockedEvidence(view, pdb, pods, events);
  const unhealthy = (s.currentHealthy ?? 0) < (s.desiredHealthy ?? 0) ? ", pods unhealthy" : "";
  const spec = budgetText(pdb);
  const blocking = blocked.length > 0;
  return {
    category: "PDBBlocking",
    severity: blocking ? "critical" : "info",
    resource: refOf(pdb),
    // A budget that blocks nothing is configuration: it names only itself, so a question
    // about the workload it protects does not end at it.
    subject: (blocking ? protectedWorkload(view, pods) : undefined) ?? refOf(pdb),
    message: `PodDisruptionBudget ${pdb.metadata?.name} allows no disruption (${spec}${unhealthy})${blocking ? " and blocks an eviction" : ""}`,
    evidence: budgetEvidence(pdb, spec, blocked),
    pods: pods.map((p) => refKey(refOf(p))),
    facts: { detail: spec },
    strength: blocking ? 0.9 : 0.4,
  };
}

/** PodDisruptionBudgets that allow no disruption while an eviction or a cordoned node waits on them. */
export const pdbsAnalyzer: Analyzer = {
  name: "pdbs",
  categories: ["PDBBlocking"],
  owns: [
    {
      category: "PDBBlocking",
      depth: DEPTH.edge,
      runbook: "add replicas or relax the PodDisruptionBudget so the drain can proceed",
    },
  ],
  analyze: ({ view }) => analyzePDBs(view),
};
