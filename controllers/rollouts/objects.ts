/**
 * The objects rollout verification reads, from the manager's shared informers (the same ones the
 * diagnosis caches use, so nothing is listed twice): Deployments, ReplicaSets, StatefulSets,
 * DaemonSets and Pods of the watched scope.
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import type { Pod, Workload } from "../../agents/diagnosis/k8s.ts";
import { LIVE_KINDS } from "../../agents/diagnosis/live/kinds.ts";
import type { RolloutObjects } from "../../agents/rollouts/index.ts";
import type { Informer, Manager } from "../../runtime/index.ts";

const KINDS = ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Pod"] as const;
type Kind = (typeof KINDS)[number];

/** The informers of the five kinds, keyed by kind. */
export type RolloutInformers = Record<Kind, Informer<KubernetesObject>>;

/** Gets (or shares) the informers of the watched scope. */
export function rolloutInformers(mgr: Manager, scope: { namespace?: string }): RolloutInformers {
  const out = {} as RolloutInformers;
  for (const kind of KINDS) {
    const rt = LIVE_KINDS.find((k) => k.kind === kind)!;
    out[kind] = mgr.informer(rt, scope);
  }
  return out;
}

/** What the informers hold in one namespace. */
export function objectsIn(informers: RolloutInformers, namespace: string): RolloutObjects {
  const list = <T>(kind: Kind) => informers[kind].list(namespace) as unknown as T[];
  return {
    deployments: list<Workload>("Deployment"),
    replicaSets: list<Workload>("ReplicaSet"),
    statefulSets: list<Workload>("StatefulSet"),
    daemonSets: list<Workload>("DaemonSet"),
    pods: list<Pod>("Pod"),
  };
}
