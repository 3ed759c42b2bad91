/**
 * Pod-level metric samples grouped into one Fault per workload: the worst pod speaks for
 * the workload, the others are listed as evidence. Samples of pods absent from the view
 * are stale series (the pod is gone) and are skipped.
 */
import type { Fault, Facts } from "../fault.ts";
import type { Pod } from "../k8s.ts";
import { workloadOf } from "../owners.ts";
import { refKey, refOf } from "../refs.ts";
import type { Category, Severity } from "../types.ts";
import type { ClusterView } from "../view.ts";

/** One pod judged faulty by a metric analyzer. */
export interface PodVerdict {
  pod: Pod;
  severity: Severity;
  /** Larger is worse: decides which pod speaks for the workload. */
  badness: number;
  /** The sentence for the workload, when this pod is the worst. */
  message: (workload: string) => string;
  evidence: string;
  facts: Facts;
  strength: number;
}

/** The pod of a sample, when the view still has it. */
export function podOf(view: ClusterView, namespace: string, name: string): Pod | undefined {
  return view.get<Pod>("Pod", namespace, name);
}

const MAX_EVIDENCE = 5;

/** One fault per workload for the verdicts of one category. */
export function faultsPerWorkload(view: ClusterView, category: Category, verdicts: PodVerdict[]): Fault[] {
  const groups = new Map<string, PodVerdict[]>();
  for (const v of verdicts) {
    const k = refKey(workloadOf(view, v.pod));
    groups.set(k, [...(groups.get(k) ?? []), v]);
  }
  return [...groups.values()].map((group) => {
    group.sort((a, b) => b.badness - a.badness);
    const worst = group[0]!;
    const subject = workloadOf(view, worst.pod);
    const evidence = group.slice(0, MAX_EVIDENCE).map((v) => v.evidence);
    if (group.length > MAX_EVIDENCE) evidence.push(`... and ${group.length - MAX_EVIDENCE} more pods`);
    return {
      category,
      severity: worst.severity,
      resource: refOf({ ...worst.pod, kind: "Pod" }),
      subject,
      message: worst.message(subject.name),
      evidence,
      pods: group.map((v) => refKey(refOf({ ...v.pod, kind: "Pod" }))),
      facts: worst.facts,
      strength: worst.strength,
    };
  });
}

/** A ratio as a percentage for people ("61%", "5.2%"). */
export function percent(ratio: number): string {
  const p = ratio * 100;
  return `${p >= 10 ? Math.round(p) : Math.round(p * 10) / 10}%`;
}

/** A number with at most 3 significant digits. */
export function short(n: number): string {
  return String(Number(n.toPrecision(3)));
}
