/**
 * A diagnosis opened by rollout verification (agents/rollouts) answers BadRollout with the metric
 * deltas as evidence: the alert names the workload and revision, its annotations carry the deltas
 * and what changed. The pods of a revision that serves 5xx may be perfectly Ready, so the pod
 * analyzers alone would not see a bad rollout; the same workload's HighErrorRate and HighLatency
 * findings are its symptoms and are absorbed. RolloutUndo then follows from the category
 * (analyzers/rollout.ts declares rollback). Pure: reads only the alert, the view and the faults.
 */
import type { Fault } from "./fault.ts";
import type { Workload } from "./k8s.ts";
import { refKey, refOf } from "./refs.ts";
import type { Category, Focus, ResourceRef } from "./types.ts";
import type { ClusterView } from "./view.ts";

/** The alertname rollout verification opens tasks with (agents/rollouts/task.ts). */
const ROLLOUT_ALERTNAME = "RolloutRegression";
/** Metric symptoms a regressed revision explains. */
const SYMPTOMS: ReadonlySet<Category> = new Set<Category>(["HighErrorRate", "HighLatency"]);
const KINDS = [
  ["deployment", "Deployment"],
  ["statefulset", "StatefulSet"],
  ["daemonset", "DaemonSet"],
] as const;

function workloadOf(view: ClusterView, labels: Record<string, string>): Workload | undefined {
  const ns = labels.namespace ?? "";
  for (const [label, kind] of KINDS) {
    if (labels[label]) return view.get<Workload>(kind, ns, labels[label]);
  }
  return undefined;
}

function evidenceOf(notes: Record<string, string>, revision: string): string[] {
  const deltas = (notes.deltas ?? "").split("\n").filter(Boolean);
  return [
    `revision ${revision} compared with revision ${notes.previous_revision ?? "?"} over ${notes.window ?? "its window"} after the rollout`,
    ...deltas,
    ...(notes.changes ? [`what changed: ${notes.changes}`] : []),
  ];
}

/**
 * The BadRollout fault of a RolloutRegression alert (none when the focus is another alert or the
 * workload is gone). When the pod analyzers already found one for the workload, the deltas join
 * its evidence instead.
 */
export function rolloutRegressionFaults(view: ClusterView, focus: Focus, faults: Fault[]): Fault[] {
  const labels = focus.alert?.labels ?? {};
  if (labels.alertname !== ROLLOUT_ALERTNAME) return [];
  const w = workloadOf(view, labels);
  if (!w) return [];
  const subject: ResourceRef = refOf(w);
  const key = refKey(subject);
  const revision = labels.revision ?? "?";
  const notes = focus.alert?.annotations ?? {};
  const evidence = evidenceOf(notes, revision);
  for (const f of faults)
    if (SYMPTOMS.has(f.category) && refKey(f.subject) === key) f.absorbedBy = "BadRollout";
  const known = faults.find((f) => f.category === "BadRollout" && refKey(f.subject) === key);
  if (known) {
    known.evidence.push(...evidence);
    return [];
  }
  return [newFault(subject, revision, notes.previous_revision, evidence)];
}

function newFault(
  subject: ResourceRef,
  revision: string,
  previous: string | undefined,
  evidence: string[],
): Fault {
  const deltas = evidence.slice(1, 3).filter((e) => !e.startsWith("what changed"));
  const detail = deltas.length ? `: ${deltas.join("; ")}` : "";
  return {
    category: "BadRollout",
    severity: "critical",
    resource: subject,
    subject,
    message: `revision ${revision} of ${subject.name} regressed against revision ${previous ?? "?"}${detail}`,
    evidence,
    pods: [],
    // A Deployment's revision number is what RolloutUndo goes back to.
    facts: previous && /^\d+$/.test(previous) ? { previousRevision: previous } : {},
    strength: 0.9,
  };
}
