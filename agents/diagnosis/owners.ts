/**
 * Owner resolution: the workload a user acts on for a pod (Pod → ReplicaSet →
 * Deployment, Pod → StatefulSet/DaemonSet/Job), tolerating snapshots that omit
 * uids or the ReplicaSets themselves.
 */
import type { K8sObject, Pod, Workload } from "./k8s.ts";
import { controllerOf } from "./k8s.ts";
import { ref, refOf } from "./refs.ts";
import type { ResourceRef } from "./types.ts";
import type { ClusterView } from "./view.ts";

/** The owner object of obj (by uid, else by kind/name in its namespace). */
export function ownerObject(view: ClusterView, obj: K8sObject): K8sObject | undefined {
  const owner = controllerOf(obj);
  if (!owner) return undefined;
  const byUid = owner.uid ? view.byUid(owner.uid) : undefined;
  return byUid ?? view.get(owner.kind, obj.metadata?.namespace ?? "", owner.name);
}

/** The Deployment name of a ReplicaSet name, using the pod-template-hash suffix. */
function deploymentNameOf(rsName: string, hash: string | undefined): string | undefined {
  if (hash && rsName.endsWith(`-${hash}`)) return rsName.slice(0, -hash.length - 1);
  const m = /^(.*)-[a-z0-9]{5,10}$/.exec(rsName);
  return m?.[1];
}

/** The workload of a ReplicaSet: its Deployment when it has one, else itself. */
export function workloadOfReplicaSet(
  view: ClusterView,
  rs: K8sObject | ResourceRef,
  hash?: string,
): ResourceRef {
  const isObj = "metadata" in rs || "apiVersion" in rs;
  const r: ResourceRef = isObj ? refOf(rs as K8sObject) : (rs as ResourceRef);
  const obj = isObj ? (rs as K8sObject) : view.get(r.kind, r.namespace, r.name);
  const owner = obj ? controllerOf(obj) : undefined;
  if (owner) return ref(owner.kind, r.namespace, owner.name);
  if (obj) return r;
  const depName = deploymentNameOf(r.name, hash);
  return depName ? ref("Deployment", r.namespace, depName) : r;
}

/** The workload a user acts on for this pod (the pod itself when it has no owner). */
export function workloadOf(view: ClusterView, pod: Pod): ResourceRef {
  const owner = controllerOf(pod);
  const ns = pod.metadata?.namespace ?? "";
  if (!owner) return refOf(pod);
  if (owner.kind === "ReplicaSet") {
    const rs = (owner.uid ? view.byUid(owner.uid) : undefined) ?? view.get("ReplicaSet", ns, owner.name);
    return workloadOfReplicaSet(
      view,
      rs ?? ref("ReplicaSet", ns, owner.name),
      pod.metadata?.labels?.["pod-template-hash"],
    );
  }
  return ref(owner.kind, ns, owner.name);
}

/** The ReplicaSet of a pod, if it has one in the view. */
export function replicaSetOf(view: ClusterView, pod: Pod): Workload | undefined {
  const owner = controllerOf(pod);
  if (owner?.kind !== "ReplicaSet") return undefined;
  return ((owner.uid ? view.byUid(owner.uid) : undefined) ??
    view.get("ReplicaSet", pod.metadata?.namespace ?? "", owner.name)) as Workload | undefined;
}

/** Pods of a workload (through its ReplicaSets for a Deployment, Jobs for a CronJob). */
export function podsOf(view: ClusterView, workload: K8sObject): Pod[] {
  const kind = workload.kind;
  const children = view.ownedBy(workload);
  if (kind === "Deployment" || kind === "CronJob") {
    return children.flatMap((c) => view.ownedBy(c)).filter((o): o is Pod => o.kind === "Pod");
  }
  return children.filter((o): o is Pod => o.kind === "Pod");
}

/** Pods of a Deployment when the snapshot has no ReplicaSets: by selector. */
export function podsOfWorkload(view: ClusterView, workload: Workload): Pod[] {
  const owned = podsOf(view, workload);
  if (owned.length > 0 || !workload.spec?.selector) return owned;
  if (workload.kind === "CronJob" || workload.kind === "Job") return owned;
  return [...view.podsSelected(workload.metadata?.namespace ?? "", workload.spec.selector)];
}
