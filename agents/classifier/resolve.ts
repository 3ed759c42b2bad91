/**
 * resolveTarget: checks a classification's target against the cluster (a ClusterView, e.g.
 * the informer caches) so a guessed kind or a missing namespace is settled by what exists:
 * "checkout" becomes Deployment shop/checkout when that is the only checkout. Pure.
 */
import type { ClusterView } from "../diagnosis/view.ts";
import { CLUSTER_SCOPED } from "./kinds.ts";
import { showTarget } from "./classify.ts";
import type { Target, TaskClassification } from "./types.ts";
import { UNSURE_BELOW, round } from "./types.ts";

/** Kinds a name may turn out to be, in the order a person most likely meant. */
const KINDS = [
  "Deployment",
  "StatefulSet",
  "DaemonSet",
  "CronJob",
  "Job",
  "Service",
  "Pod",
  "Ingress",
  "PersistentVolumeClaim",
  "Node",
];

function matches(view: ClusterView, t: Target): Target[] {
  const kinds = [t.kind, ...KINDS.filter((k) => k !== t.kind)];
  const out: Target[] = [];
  for (const kind of kinds) {
    for (const o of view.list(kind, CLUSTER_SCOPED.has(kind) ? undefined : t.namespace)) {
      if (o.metadata?.name !== t.name) continue;
      const ns = CLUSTER_SCOPED.has(kind) ? undefined : o.metadata.namespace;
      out.push(ns ? { kind, namespace: ns, name: t.name } : { kind, name: t.name });
    }
  }
  return out;
}

/** The classification with its target confirmed or corrected by the view; unchanged when the view cannot tell. */
export function resolveTarget(c: TaskClassification, view: ClusterView): TaskClassification {
  const t = c.target;
  if (!t || t.kind === "Namespace") return c;
  const found = matches(view, t);
  const namespaces = new Set(found.map((f) => f.namespace ?? ""));
  // The stated kind wins when it exists; otherwise one namespace must hold the name.
  const exact = found.find((f) => f.kind === t.kind);
  const pick =
    exact && (t.namespace || namespaces.size === 1) ? exact : namespaces.size === 1 ? found[0] : undefined;
  if (!pick) return c;
  const confidence = round(Math.max(c.confidence, 0.85));
  const note = `; ${showTarget(pick)} exists in the cluster`;
  return {
    ...c,
    target: pick,
    confidence,
    unsure: confidence < UNSURE_BELOW,
    rationale: `${(c.rationale ?? "").replace(/\.$/, "")}${note}.`.slice(0, 1024),
  };
}
