/**
 * Rollout history of a Deployment from its ReplicaSets' revision annotations:
 * which revision is newest, which one ran before, and for how long.
 */
import type { Pod, Workload } from "./k8s.ts";
import { humanDuration, toMs } from "./k8s.ts";
import type { ClusterView } from "./view.ts";

export interface Revision {
  rs: Workload;
  revision: number;
  image?: string;
  created?: number;
  ready: number;
}

export interface RolloutHistory {
  newest: Revision;
  previous?: Revision;
  /** Older revisions that still have ready pods (a rollout in progress or stuck). */
  servingOld: Revision[];
}

function readyPods(view: ClusterView, rs: Workload): number {
  return podsOfReplicaSet(view, rs).filter((p) =>
    p.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
  ).length;
}

function revisionOf(view: ClusterView, rs: Workload, index: number): Revision {
  const ann = rs.metadata?.annotations?.["deployment.kubernetes.io/revision"];
  return {
    rs,
    revision: ann === undefined ? index : Number(ann),
    image: rs.spec?.template?.spec?.containers?.map((c) => c.image).join(",") || undefined,
    created: toMs(rs.metadata?.creationTimestamp),
    ready: Math.max(rs.status?.readyReplicas ?? rs.status?.availableReplicas ?? 0, readyPods(view, rs)),
  };
}

/** The Deployment's revisions, newest first; undefined when it owns no ReplicaSet. */
export function rolloutHistory(view: ClusterView, dep: Workload): RolloutHistory | undefined {
  const sets = view.ownedBy(dep).filter((o): o is Workload => o.kind === "ReplicaSet");
  if (sets.length === 0) return undefined;
  const revs = sets
    .map((rs, i) => revisionOf(view, rs, i))
    .sort((a, b) => b.revision - a.revision || (b.created ?? 0) - (a.created ?? 0));
  const [newest, ...older] = revs as [Revision, ...Revision[]];
  return { newest, previous: older[0], servingOld: older.filter((r) => r.ready > 0) };
}

/** The pods of one ReplicaSet. */
export function podsOfReplicaSet(view: ClusterView, rs: Workload): Pod[] {
  return view.ownedBy(rs).filter((o): o is Pod => o.kind === "Pod");
}

/** "revision 4 (image app:v2.3.0) ran for 3d before revision 5" for rationales. */
export function describePrevious(h: RolloutHistory, now: number): string | undefined {
  const p = h.previous;
  if (!p) return undefined;
  const end = h.newest.created ?? now;
  const ran = p.created !== undefined ? ` ran for ${humanDuration(end - p.created)}` : "";
  return `revision ${p.revision}${p.image ? ` (image ${p.image})` : ""}${ran} before revision ${h.newest.revision}`;
}
