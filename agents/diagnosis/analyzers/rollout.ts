/**
 * BadRollout (ADR 0002): the newest revision's pods (a Deployment's newest ReplicaSet, a
 * StatefulSet's update revision, a DaemonSet's newest template generation) fail for a
 * reason carried by the revision itself (crash, OOM, image, config, probes, init) while an
 * older revision still serves, or the Deployment reports ProgressDeadlineExceeded with
 * the old ReplicaSet still ready. Those pod faults are then absorbed: they are
 * evidence of the BadRollout, not competing root causes.
 */
import type { Fault } from "../fault.ts";
import type { Condition, Pod, Workload } from "../k8s.ts";
import { condition } from "../k8s.ts";
import type { Revision, RolloutHistory } from "../history.ts";
import { describePrevious, podsOfReplicaSet, rolloutHistory } from "../history.ts";
import { podsOf } from "../owners.ts";
import { refKey, refOf } from "../refs.ts";
import type { Category } from "../types.ts";
import type { ClusterView } from "../view.ts";
import type { Analyzer } from "./analyzer.ts";
import { DEPTH } from "./analyzer.ts";
import { POD_CATEGORIES } from "./pod-categories.ts";
import { isPodReady } from "./util.ts";

/** Causes that ship with a revision (rolling back fixes them); node, storage, quota and scheduling do not. */
export const REVISION_CAUSES: ReadonlySet<Category> = new Set(
  POD_CATEGORIES.filter((c) => c.revision).map((c) => c.category),
);

function showRevision(r: Revision, pods?: number): string {
  const size =
    pods === undefined
      ? `${r.ready}/${r.rs.spec?.replicas ?? r.rs.status?.replicas ?? "?"} ready`
      : `${pods} pod(s), ${r.ready} ready`;
  return `ReplicaSet ${r.rs.metadata?.name} (revision ${r.revision}${r.image ? `, image ${r.image}` : ""}): ${size}`;
}

function progressLine(c: Condition | undefined): string[] {
  if (!c) return [];
  return [`condition Progressing=${c.status} reason=${c.reason ?? "?"}${c.message ? `: ${c.message}` : ""}`];
}

function rolloutStrength(cause: Fault | undefined, deadline: boolean): number {
  if (!cause) return 0.7;
  return deadline ? 0.95 : 0.85;
}

function badRollout(
  view: ClusterView,
  dep: Workload,
  h: RolloutHistory,
  newFaults: Fault[],
): Fault | undefined {
  const progressing = condition(dep.status?.conditions, "Progressing");
  const deadline = progressing?.status === "False" && progressing.reason === "ProgressDeadlineExceeded";
  const old = h.servingOld[0];
  if (!old || (newFaults.length === 0 && !deadline)) return undefined;
  const cause = newFaults[0];
  const evidence = [
    showRevision(h.newest, podsOfReplicaSet(view, h.newest.rs).length),
    showRevision(old),
    ...progressLine(progressing),
  ];
  if (cause) evidence.push(`${cause.category}: ${cause.message}`, ...cause.evidence.slice(0, 3));
  return {
    category: "BadRollout",
    severity: "critical",
    resource: refOf(dep),
    subject: refOf(dep),
    message: `revision ${h.newest.revision} of ${dep.metadata?.name} fails${cause ? ` (${cause.category})` : " to progress"} while revision ${old.revision} still serves`,
    evidence,
    pods: newFaults.flatMap((f) => f.pods),
    facts: {
      ...cause?.facts,
      reason: cause?.category ?? progressing?.reason,
      image: h.newest.image,
      previousRevision: String(old.revision),
      previousImage: old.image,
      previousHealthyFor: describePrevious({ ...h, previous: old }, view.now),
    },
    strength: rolloutStrength(cause, deadline),
  };
}

function groupBySubject(podFaults: Fault[]): Map<string, Fault[]> {
  const bySubject = new Map<string, Fault[]>();
  for (const f of podFaults) {
    if (!REVISION_CAUSES.has(f.category)) continue;
    bySubject.set(refKey(f.subject), [...(bySubject.get(refKey(f.subject)) ?? []), f]);
  }
  return bySubject;
}

function deploymentRollout(
  view: ClusterView,
  dep: Workload,
  faults: Fault[],
): { fault: Fault; absorbed: Fault[] } | undefined {
  const progressing = condition(dep.status?.conditions, "Progressing");
  if (faults.length === 0 && progressing?.reason !== "ProgressDeadlineExceeded") return undefined;
  const h = rolloutHistory(view, dep);
  if (!h) return undefined;
  const newPods = new Set(podsOfReplicaSet(view, h.newest.rs).map((p: Pod) => refKey(refOf(p))));
  const newFaults = faults.filter((f) => f.pods.some((k) => newPods.has(k)));
  const fault = badRollout(view, dep, h, newFaults);
  return fault ? { fault, absorbed: newFaults } : undefined;
}

function controllerRevision(view: ClusterView, ns: string, name: string): number | undefined {
  const cr = view.get<{ revision?: number } & Workload>("ControllerRevision", ns, name);
  return typeof cr?.revision === "number" ? cr.revision : undefined;
}

/** Which pods of a StatefulSet or DaemonSet run the update, and how to name both revisions. */
interface RevisionSplit {
  isNew: (p: Pod) => boolean;
  /** Names for people: "revision 7 (hash)" or the hash alone. */
  update: string;
  current: string;
  previousRevision: string;
  /** What says a rollout is under way (status fields). */
  status: string;
}

/** BadRollout of a workload whose pods carry their revision: update pods fail, current ones serve. */
function splitRollout(
  view: ClusterView,
  w: Workload,
  faults: Fault[],
  split: RevisionSplit,
): { fault: Fault; absorbed: Fault[] } | undefined {
  const pods = podsOf(view, w);
  const newPods = new Set(pods.filter(split.isNew).map((p) => refKey(refOf(p))));
  const oldReady = pods.filter((p) => !split.isNew(p) && isPodReady(p));
  const newFaults = faults.filter((f) => f.pods.some((k) => newPods.has(k)));
  if (oldReady.length === 0 || newFaults.length === 0) return undefined;
  const cause = newFaults[0]!;
  return {
    absorbed: newFaults,
    fault: {
      category: "BadRollout",
      severity: "critical",
      resource: refOf(w),
      subject: refOf(w),
      message: `update ${split.update} of ${w.kind} ${w.metadata?.name} fails (${cause.category}) while ${oldReady.length} pod(s) of ${split.current} stay ready`,
      evidence: [
        split.status,
        `${newPods.size} pod(s) on the update revision failing, ${oldReady.length} pod(s) on the current revision ready`,
        `${cause.category}: ${cause.message}`,
        ...cause.evidence.slice(0, 3),
      ],
      pods: newFaults.flatMap((f) => f.pods),
      facts: { ...cause.facts, reason: cause.category, previousRevision: split.previousRevision },
      strength: 0.85,
    },
  };
}

const label = (name: string, rev: number | undefined) =>
  rev === undefined ? name : `revision ${rev} (${name})`;

function statefulSetRollout(view: ClusterView, sts: Workload, faults: Fault[]) {
  const { currentRevision: cur, updateRevision: upd } = sts.status ?? {};
  if (!upd || !cur || upd === cur || faults.length === 0) return undefined;
  const ns = sts.metadata?.namespace ?? "";
  const newRev = controllerRevision(view, ns, upd);
  const oldRev = controllerRevision(view, ns, cur);
  return splitRollout(view, sts, faults, {
    isNew: (p) => p.metadata?.labels?.["controller-revision-hash"] === upd,
    update: label(upd, newRev),
    current: label(cur, oldRev),
    previousRevision: oldRev === undefined ? cur : String(oldRev),
    status: `status.updateRevision=${upd} status.currentRevision=${cur}`,
  });
}

const GENERATION = "pod-template-generation";

/** A DaemonSet part-way through a rolling update: pods carry their template generation. */
function daemonSetRollout(view: ClusterView, ds: Workload, faults: Fault[]) {
  const s = (ds.status ?? {}) as { updatedNumberScheduled?: number; desiredNumberScheduled?: number };
  const desired = s.desiredNumberScheduled ?? 0;
  if (faults.length === 0 || (s.updatedNumberScheduled ?? desired) >= desired) return undefined;
  const generations = podsOf(view, ds)
    .map((p) => Number(p.metadata?.labels?.[GENERATION]))
    .filter((g) => Number.isFinite(g));
  if (new Set(generations).size < 2) return undefined;
  const newest = Math.max(...generations);
  const previous = Math.max(...generations.filter((g) => g < newest));
  return splitRollout(view, ds, faults, {
    isNew: (p) => Number(p.metadata?.labels?.[GENERATION]) === newest,
    update: `generation ${newest}`,
    current: `generation ${previous}`,
    previousRevision: String(previous),
    status: `status.updatedNumberScheduled=${s.updatedNumberScheduled} of desiredNumberScheduled=${desired}`,
  });
}

/** BadRollout faults; absorbs the newest revision's pod faults they explain. */
export function analyzeRollouts(view: ClusterView, podFaults: Fault[]): Fault[] {
  const bySubject = groupBySubject(podFaults);
  const out: Fault[] = [];
  const found = [
    ...view
      .list<Workload>("Deployment")
      .map((d) => deploymentRollout(view, d, bySubject.get(refKey(refOf(d))) ?? [])),
    ...view
      .list<Workload>("StatefulSet")
      .map((s) => statefulSetRollout(view, s, bySubject.get(refKey(refOf(s))) ?? [])),
    ...view
      .list<Workload>("DaemonSet")
      .map((d) => daemonSetRollout(view, d, bySubject.get(refKey(refOf(d))) ?? [])),
  ];
  for (const r of found) {
    if (!r) continue;
    for (const f of r.absorbed) f.absorbedBy = "BadRollout";
    out.push(r.fault);
  }
  return out;
}

function summary(f: Fault): string {
  const cause = f.facts.reason
    ? ` (${f.facts.reason}${f.facts.exitCode !== undefined ? `, exit code ${f.facts.exitCode}` : ""})`
    : "";
  const log = f.facts.lastLog ? `: ${f.facts.lastLog}` : "";
  return `${f.message.replace(/ \([A-Za-z]+\) while/, " while")}${cause}${log}`;
}

/** BadRollout over the pod faults of the newest revision, which it absorbs. */
export const rolloutsAnalyzer: Analyzer = {
  name: "rollouts",
  categories: ["BadRollout"],
  owns: [
    {
      category: "BadRollout",
      depth: DEPTH.workload,
      runbook: "fix the new revision before rolling forward again",
      rollback: true,
      summary,
    },
  ],
  needs: ["pods"],
  analyze: ({ view, faultsOf }) => analyzeRollouts(view, faultsOf("pods")),
};
