/**
 * The dependency graph, walked lazily: what a resource needs in order to work.
 * Ingress → Services → Pods (→ their workload), workload → ReplicaSets → Pods,
 * CronJob → Jobs → Pods, HPA → scale target, PDB → Pods, webhook configuration
 * → Service, Node → its Pods (only when the walk starts at the node).
 */
import { ingressBackends } from "./analyzers/ingress.ts";
import type {
  HorizontalPodAutoscaler,
  Ingress,
  K8sObject,
  LabelSelector,
  Pod,
  Service,
  WebhookConfiguration,
  Workload,
} from "./k8s.ts";
import { workloadOf } from "./owners.ts";
import { ref, refKey, refOf } from "./refs.ts";
import { workloadsSelectedBy } from "./selection.ts";
import type { ResourceRef } from "./types.ts";
import type { ClusterView } from "./view.ts";

function serviceDeps(view: ClusterView, svc: Service): ResourceRef[] {
  const ns = svc.metadata?.namespace ?? "";
  const pods = view.podsSelected(ns, svc.spec?.selector);
  if (pods.length > 0) return pods.map(refOf);
  return workloadsSelectedBy(view, ns, svc.spec?.selector).map(refOf);
}

function ownedDeps(view: ClusterView, obj: K8sObject): ResourceRef[] {
  const children = view.ownedBy(obj).map(refOf);
  const sel = (obj as Workload).spec?.selector;
  // Snapshots may omit ReplicaSets or ownerReferences: fall back to the selector.
  if (children.length === 0 && sel && obj.kind !== "Job")
    return view.podsSelected(obj.metadata?.namespace ?? "", sel).map(refOf);
  return children;
}

function webhookDeps(cfg: WebhookConfiguration): ResourceRef[] {
  return (cfg.webhooks ?? [])
    .map((w) => w.clientConfig?.service)
    .filter((s): s is { namespace: string; name: string } => !!s)
    .map((s) => ref("Service", s.namespace, s.name));
}

type Deps = (view: ClusterView, obj: K8sObject, start: boolean) => ResourceRef[];

const nsOf = (obj: K8sObject) => obj.metadata?.namespace ?? "";

const DEPS: Record<string, Deps> = {
  Ingress: (_v, obj) => ingressBackends(obj as Ingress).map((b) => ref("Service", nsOf(obj), b.service)),
  Service: (v, obj) => serviceDeps(v, obj as Service),
  Pod: (v, obj) => [workloadOf(v, obj as Pod)],
  Deployment: ownedDeps,
  ReplicaSet: ownedDeps,
  StatefulSet: ownedDeps,
  DaemonSet: ownedDeps,
  Job: ownedDeps,
  CronJob: ownedDeps,
  HorizontalPodAutoscaler: (_v, obj) => {
    const t = (obj as HorizontalPodAutoscaler).spec?.scaleTargetRef;
    return t ? [ref(t.kind, nsOf(obj), t.name)] : [];
  },
  PodDisruptionBudget: (v, obj) =>
    v.podsSelected(nsOf(obj), (obj as { spec?: { selector?: LabelSelector } }).spec?.selector).map(refOf),
  ValidatingWebhookConfiguration: (_v, obj) => webhookDeps(obj as WebhookConfiguration),
  MutatingWebhookConfiguration: (_v, obj) => webhookDeps(obj as WebhookConfiguration),
  // A node's pods only matter when the walk starts at the node.
  Node: (v, obj, start) => (start ? v.podsOnNode(obj.metadata?.name ?? "").map(refOf) : []),
  PersistentVolumeClaim: (v, obj) => v.podsUsingClaim(nsOf(obj), obj.metadata?.name ?? "").map(refOf),
};

/** The resources obj depends on; `start` marks the walk's first step (Nodes expand only there). */
export function dependencies(view: ClusterView, obj: K8sObject, start: boolean): ResourceRef[] {
  const deps = DEPS[obj.kind ?? ""];
  return deps ? deps(view, obj, start) : [];
}

/** Keys of every resource reachable from the starting references (the starts included). */
export function reachable(view: ClusterView, starts: ResourceRef[], maxNodes = 20_000): Set<string> {
  const seen = new Set<string>();
  const queue: { r: ResourceRef; start: boolean }[] = starts.map((r) => ({ r, start: true }));
  for (let i = 0; i < queue.length && seen.size < maxNodes; i++) {
    const { r, start } = queue[i]!;
    const k = refKey(r);
    if (seen.has(k)) continue;
    seen.add(k);
    const obj = view.get(r.kind, r.namespace, r.name);
    if (!obj) continue;
    for (const d of dependencies(view, obj, start))
      if (!seen.has(refKey(d))) queue.push({ r: d, start: false });
  }
  return seen;
}
