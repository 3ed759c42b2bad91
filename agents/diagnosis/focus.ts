/**
 * Where the walk starts: the explicit target, or the resource an alert's labels
 * name (kube-state-metrics / kube-prometheus label conventions). Labels that name
 * the scraper (service, instance of kube-state-metrics) are not mistaken for the subject.
 */
import { kindFromAlias } from "../../crds/kind-aliases.ts";
import type { K8sObject, Node } from "./k8s.ts";
import { ref } from "./refs.ts";
import type { AlertInfo, Focus, ResourceRef } from "./types.ts";
import type { ClusterView } from "./view.ts";

export interface FocusRefs {
  refs: ResourceRef[];
  namespace?: string;
}

/** The canonical kind for a kind name, alias or label name ("deploy" → "Deployment"). */
export function canonicalKind(kind: string): string {
  return kindFromAlias(kind) ?? kind;
}

/** Alert labels naming a resource, most specific first. */
const LABELS: [string, string][] = [
  ["pod", "Pod"],
  ["job_name", "Job"],
  ["cronjob", "CronJob"],
  ["deployment", "Deployment"],
  ["statefulset", "StatefulSet"],
  ["daemonset", "DaemonSet"],
  ["replicaset", "ReplicaSet"],
  ["persistentvolumeclaim", "PersistentVolumeClaim"],
  ["horizontalpodautoscaler", "HorizontalPodAutoscaler"],
  ["poddisruptionbudget", "PodDisruptionBudget"],
  ["ingress", "Ingress"],
  ["service", "Service"],
  ["node", "Node"],
];

function podFallback(view: ClusterView, ns: string, pod: string): ResourceRef | undefined {
  // The alerted pod may be gone (replaced): its ReplicaSet or controller may remain.
  const rs = /^(.*)-[a-z0-9]{5}$/.exec(pod)?.[1];
  if (rs && view.get("ReplicaSet", ns, rs)) return ref("ReplicaSet", ns, rs);
  const dep = rs ? /^(.*)-[a-z0-9]{6,10}$/.exec(rs)?.[1] : undefined;
  if (dep && view.get("Deployment", ns, dep)) return ref("Deployment", ns, dep);
  const ordinal = /^(.*)-\d+$/.exec(pod)?.[1];
  if (ordinal && view.get("StatefulSet", ns, ordinal)) return ref("StatefulSet", ns, ordinal);
  return undefined;
}

function nodeByInstance(view: ClusterView, instance: string): ResourceRef | undefined {
  const host = instance.replace(/:\d+$/, "");
  const node = view
    .list<Node>("Node")
    .find((n) => n.metadata?.name === host || n.status?.addresses?.some((a) => a.address === host));
  return node ? ref("Node", "", node.metadata?.name ?? "") : undefined;
}

function fromLabels(view: ClusterView, alert: AlertInfo): ResourceRef[] {
  const l = alert.labels ?? {};
  const ns = l.namespace ?? l.exported_namespace ?? "";
  for (const [label, kind] of LABELS) {
    const name = l[label];
    if (!name) continue;
    const r = ref(kind, ns, name);
    if (view.get<K8sObject>(r.kind, r.namespace, r.name)) return [r];
    if (kind === "Pod") {
      const fb = podFallback(view, ns, name);
      if (fb) return [fb];
    }
  }
  const nodeAlert = /node|kubelet/i.test(l.alertname ?? "") || /node-exporter|kubelet/.test(l.job ?? "");
  if (nodeAlert && l.instance) {
    const n = nodeByInstance(view, l.instance);
    if (n) return [n];
  }
  return [];
}

/** The references a diagnosis starts from, and the namespace an alert is scoped to. */
export function resolveFocus(view: ClusterView, focus: Focus): FocusRefs {
  const ns = focus.target?.namespace || focus.alert?.labels?.namespace || undefined;
  if (focus.target?.name) {
    const t = focus.target;
    return { refs: [ref(canonicalKind(t.kind), t.namespace, t.name)], namespace: ns };
  }
  if (focus.alert) return { refs: fromLabels(view, focus.alert), namespace: ns };
  return { refs: [] };
}
