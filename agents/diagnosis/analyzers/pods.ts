/**
 * Pod faults grouped by cause: every pod's deepest problem, grouped by
 * (category, subject) so 30 crashing replicas make one finding on their
 * Deployment, with the blast radius in `pods`.
 */
import type { Fault } from "../fault.ts";
import { worse } from "../fault.ts";
import type { Pod } from "../k8s.ts";
import { workloadOf } from "../owners.ts";
import { refKey, refOf, showRef } from "../refs.ts";
import type { ResourceRef } from "../types.ts";
import type { ClusterView } from "../view.ts";
import type { Analyzer } from "./analyzer.ts";
import { POD_CATEGORIES } from "./pod-categories.ts";
import { diagnosePod } from "./pod.ts";
import type { PodProblem } from "./problem.ts";
import { isPodReady, isTerminal } from "./util.ts";

interface Group {
  subject: ResourceRef;
  workload: ResourceRef;
  pods: Pod[];
  problems: PodProblem[];
}

/** Pods per workload: how many exist and how many are ready (for severity and messages). */
export interface WorkloadCounts {
  total: number;
  ready: number;
}

function representative(g: Group): number {
  let best = 0;
  g.problems.forEach((p, i) => {
    const score = p.strength + (p.facts.lastLog ? 0.1 : 0) + p.evidence.length / 100;
    const top = g.problems[best]!;
    if (score > top.strength + (top.facts.lastLog ? 0.1 : 0) + top.evidence.length / 100) best = i;
  });
  return best;
}

function scopeOf(g: Group, c: WorkloadCounts): string {
  if (refKey(g.subject) !== refKey(g.workload))
    return `${g.pods.length} pod(s), e.g. of ${showRef(g.workload)}: `;
  return g.workload.kind === "Pod" ? "" : `${g.pods.length}/${c.total} pods of ${showRef(g.workload)}: `;
}

function toFault(g: Group, counts: Map<string, WorkloadCounts>): Fault {
  const i = representative(g);
  const p = g.problems[i]!;
  const pod = g.pods[i]!;
  const c = counts.get(refKey(g.workload)) ?? { total: g.pods.length, ready: 0 };
  let severity = g.problems.reduce((s, q) => worse(s, q.severity), p.severity);
  // Nothing of the workload serves: even readiness trouble is an outage.
  if (c.ready === 0 && severity === "warning" && g.workload.kind !== "Pod") severity = "critical";
  const scope = scopeOf(g, c);
  return {
    category: p.category,
    severity,
    resource: refOf(pod),
    subject: g.subject,
    message: `${scope}${p.message}`,
    evidence: p.evidence,
    pods: g.pods.map((q) => refKey(refOf(q))),
    facts: p.facts,
    strength: p.strength,
  };
}

/** Every pod problem, grouped into one fault per (category, subject). */
export function analyzePods(view: ClusterView): { faults: Fault[]; counts: Map<string, WorkloadCounts> } {
  const groups = new Map<string, Group>();
  const counts = new Map<string, WorkloadCounts>();
  for (const pod of view.list<Pod>("Pod")) {
    const workload = workloadOf(view, pod);
    const wk = refKey(workload);
    const c = counts.get(wk) ?? { total: 0, ready: 0 };
    if (!isTerminal(pod)) c.total++;
    if (isPodReady(pod)) c.ready++;
    counts.set(wk, c);
    const problem = diagnosePod(view, pod);
    if (!problem) continue;
    const subject = problem.subject ?? workload;
    const gk = `${problem.category}|${refKey(subject)}`;
    const g = groups.get(gk) ?? { subject, workload, pods: [], problems: [] };
    g.pods.push(pod);
    g.problems.push(problem);
    groups.set(gk, g);
  }
  return { faults: [...groups.values()].map((g) => toFault(g, counts)), counts };
}

/** Pod problems grouped per workload and cause; node and claim causes are owned (and folded) elsewhere. */
export const podsAnalyzer: Analyzer = {
  name: "pods",
  categories: [...POD_CATEGORIES.map((c) => c.category), "NodeNotReady", "NodePressure", "PVCPending"],
  owns: POD_CATEGORIES,
  analyze: ({ view }) => analyzePods(view).faults,
};
