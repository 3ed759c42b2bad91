/**
 * The workloads of a namespace as the anomaly loop needs them: which kind each name is (the
 * diagnosis focuses on it) and which are rolling out, so a rollout's dip does not page
 * (runAnomalyCycle's `rollouts`). The first revision of a Deployment is its creation, not a
 * rollout replacing a running revision: it does not count.
 */
import type { V1Deployment, V1StatefulSet } from "@kubernetes/client-node";
import type { WorkloadKind } from "../../agents/anomaly/tasks.ts";
import type { ResourceType } from "../../kube/kube-api.ts";
import type { KubeClient } from "../../runtime/index.ts";
import { collectionPath } from "../../runtime/index.ts";

const apps = (kind: string, plural: string): ResourceType => ({
  group: "apps",
  version: "v1",
  kind,
  plural,
  namespaced: true,
});
const DEPLOYMENTS = apps("Deployment", "deployments");
const STATEFULSETS = apps("StatefulSet", "statefulsets");

/** A rollout window in unix seconds. */
export interface Rollout {
  start: number;
  end: number;
}

/** Kinds by workload name, and rollouts by "namespace/workload". */
export interface NamespaceWorkloads {
  kinds: Map<string, WorkloadKind>;
  rollouts: Map<string, Rollout[]>;
}

const seconds = (t: string | Date | undefined): number | undefined => {
  const ms = t === undefined ? NaN : new Date(t).getTime();
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
};

/** Pods not all on the newest revision yet, or the controller has not seen the latest spec. */
function rolling(d: V1Deployment): boolean {
  const s = d.status ?? {};
  const updated = s.updatedReplicas ?? 0;
  if ((s.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) return true;
  return (
    updated < (d.spec?.replicas ?? 1) || (s.replicas ?? 0) > updated || (s.availableReplicas ?? 0) < updated
  );
}

/** A Deployment's rollout: in progress (ends now), or the last one that completed. */
export function deploymentRollout(d: V1Deployment, now: number): Rollout | undefined {
  const revision = Number(d.metadata?.annotations?.["deployment.kubernetes.io/revision"] ?? "1");
  if (!(revision > 1)) return undefined;
  const progressing = d.status?.conditions?.find((c) => c.type === "Progressing");
  const since = seconds(progressing?.lastTransitionTime) ?? seconds(d.metadata?.creationTimestamp) ?? now;
  if (rolling(d)) return { start: Math.min(since, now), end: now };
  if (progressing?.reason !== "NewReplicaSetAvailable") return undefined;
  const end = seconds(progressing.lastUpdateTime) ?? since;
  return { start: Math.min(since, end), end };
}

/** A StatefulSet's rollout in progress (its pods not all on the update revision). */
export function statefulSetRollout(s: V1StatefulSet, now: number): Rollout | undefined {
  const st = s.status;
  if (!st?.updateRevision || st.currentRevision === st.updateRevision) return undefined;
  return { start: seconds(s.metadata?.creationTimestamp) ?? now, end: now };
}

/** Reads the namespace's Deployments and StatefulSets (one list each). */
export async function namespaceWorkloads(
  client: KubeClient,
  namespace: string,
  now: number,
): Promise<NamespaceWorkloads> {
  const list = <T>(rt: ResourceType) =>
    client.request<{ items: T[] }>("GET", collectionPath(rt, namespace)).then((l) => l.items);
  const [deployments, statefulSets] = await Promise.all([
    list<V1Deployment>(DEPLOYMENTS),
    list<V1StatefulSet>(STATEFULSETS),
  ]);
  const out: NamespaceWorkloads = { kinds: new Map(), rollouts: new Map() };
  const add = (name: string | undefined, kind: WorkloadKind, rollout: Rollout | undefined) => {
    if (!name) return;
    out.kinds.set(name, kind);
    if (rollout) out.rollouts.set(`${namespace}/${name}`, [rollout]);
  };
  for (const s of statefulSets) add(s.metadata?.name, "StatefulSet", statefulSetRollout(s, now));
  for (const d of deployments) add(d.metadata?.name, "Deployment", deploymentRollout(d, now));
  return out;
}
