/**
 * Which workloads are rolling out, read from the objects alone (so a restarted leader sees the
 * same thing): a Deployment whose newest ReplicaSet (deployment.kubernetes.io/revision) has a
 * predecessor, a StatefulSet whose updateRevision differs from its currentRevision, a DaemonSet
 * whose pods carry two controller-revision-hash values. Each rollout names the pods of both
 * revisions as a bounded PromQL pod regex: the TSDB series carry `pod`, not the revision.
 */
import type { Pod, PodTemplate, Workload } from "../diagnosis/k8s.ts";
import { templateDiff } from "../diagnosis/change/template-diff.ts";
import type { RevisionNames } from "./verdict.ts";

/** The kinds whose rollouts are verified. */
export type RolloutKind = "Deployment" | "StatefulSet" | "DaemonSet";

/** One rollout under way (or done) of one workload. */
export interface Rollout {
  kind: RolloutKind;
  namespace: string;
  name: string;
  /** The new revision: a Deployment's revision number, else the controller-revision-hash. */
  revision: string;
  previousRevision: string;
  names: RevisionNames;
  /** When the new revision's first pods appeared (ms): the window starts here. */
  start: number;
  /** Pod-name regex (RE2, anchored by PromQL) of the new revision's pods. */
  currentPods: string;
  /** Pod-name regex of the previous revision's pods (all the workload's pods before `start`). */
  previousPods: string;
  /** What changed between the two pod templates (image, env by name, resources), when both are known. */
  changes: string[];
  /** Container restarts of the new revision's live pods, as the API reports them. */
  restarts: number;
}

/** The objects of one namespace the detection reads. */
export interface RolloutObjects {
  deployments: Workload[];
  statefulSets: Workload[];
  daemonSets: Workload[];
  replicaSets: Workload[];
  pods: Pod[];
}

const REVISION = "deployment.kubernetes.io/revision";
const HASH = "controller-revision-hash";
const GENERATION = "pod-template-generation";
/** Above this many pods a revision is matched by its name pattern rather than listed. */
export const MAX_LISTED_PODS = 50;

/** A Kubernetes name as an RE2 literal (names hold only [a-z0-9.-]; anything else is escaped too). */
export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, (c) => (c === "-" ? "-" : `\\${c}`));
}

const ms = (t: unknown): number => (t ? Date.parse(String(t instanceof Date ? t.toISOString() : t)) : NaN);
const ownedBy = (
  o: { metadata?: { ownerReferences?: { uid?: string; controller?: boolean }[] } },
  uid?: string,
) => !!uid && (o.metadata?.ownerReferences ?? []).some((r) => r.uid === uid && r.controller !== false);
const restartsOf = (pods: Pod[]): number =>
  pods.reduce(
    (n, p) => n + (p.status?.containerStatuses ?? []).reduce((m, c) => m + (c.restartCount ?? 0), 0),
    0,
  );

/** The exact names, or the fallback pattern when there are too many. */
function podRegex(pods: Pod[], fallback: string): string {
  const names = pods
    .map((p) => p.metadata?.name ?? "")
    .filter(Boolean)
    .sort();
  if (names.length === 0 || names.length > MAX_LISTED_PODS) return fallback;
  return names.map(escapeRegex).join("|");
}

function deploymentRollout(dep: Workload, objs: RolloutObjects): Rollout | undefined {
  const uid = dep.metadata?.uid;
  const sets = objs.replicaSets
    .filter((rs) => ownedBy(rs, uid))
    .map((rs) => ({ rs, revision: Number(rs.metadata?.annotations?.[REVISION]) }))
    .filter((r) => Number.isInteger(r.revision))
    .sort((a, b) => b.revision - a.revision);
  const [newest, previous] = sets;
  if (!newest || !previous) return undefined;
  const pods = objs.pods.filter((p) => ownedBy(p, newest.rs.metadata?.uid));
  const rsPods = (rs: Workload) => `${escapeRegex(rs.metadata?.name ?? "")}-[a-z0-9]{5}`;
  return {
    kind: "Deployment",
    namespace: dep.metadata?.namespace ?? "",
    name: dep.metadata?.name ?? "",
    revision: String(newest.revision),
    previousRevision: String(previous.revision),
    names: { current: `revision ${newest.revision}`, previous: `revision ${previous.revision}` },
    start: ms(newest.rs.metadata?.creationTimestamp),
    currentPods: rsPods(newest.rs),
    previousPods: rsPods(previous.rs),
    changes: templateDiff(previous.rs.spec?.template as PodTemplate, newest.rs.spec?.template as PodTemplate),
    restarts: restartsOf(pods),
  };
}

/** StatefulSet or DaemonSet: the new revision's pods by hash; before `start` every pod ran the previous one. */
function hashRollout(w: Workload, kind: RolloutKind, objs: RolloutObjects): Rollout | undefined {
  const pods = objs.pods.filter((p) => ownedBy(p, w.metadata?.uid) && p.metadata?.labels?.[HASH]);
  let update: string | undefined;
  let current: string | undefined;
  if (kind === "StatefulSet") {
    ({ updateRevision: update, currentRevision: current } = w.status ?? {});
  } else {
    const gen = (h: string) =>
      Math.max(
        ...pods
          .filter((p) => p.metadata?.labels?.[HASH] === h)
          .map((p) => Number(p.metadata?.labels?.[GENERATION]) || 0),
      );
    const hashes = [...new Set(pods.map((p) => p.metadata!.labels![HASH]!))].sort((a, b) => gen(b) - gen(a));
    [update, current] = hashes;
  }
  if (!update || !current || update === current) return undefined;
  const fresh = pods.filter((p) => p.metadata?.labels?.[HASH] === update);
  if (fresh.length === 0) return undefined;
  const name = w.metadata?.name ?? "";
  const all = kind === "StatefulSet" ? `${escapeRegex(name)}-[0-9]+` : `${escapeRegex(name)}-[a-z0-9]{5}`;
  return {
    kind,
    namespace: w.metadata?.namespace ?? "",
    name,
    revision: update,
    previousRevision: current,
    names: { current: `revision ${update}`, previous: `revision ${current}` },
    start: Math.min(...fresh.map((p) => ms(p.metadata?.creationTimestamp))),
    currentPods: podRegex(fresh, all),
    previousPods: all,
    changes: [],
    restarts: restartsOf(fresh),
  };
}

/** Every workload of the objects with a new revision and a previous one to compare it with. */
export function findRollouts(objs: RolloutObjects): Rollout[] {
  const out = [
    ...objs.deployments.map((d) => deploymentRollout(d, objs)),
    ...objs.statefulSets.map((s) => hashRollout(s, "StatefulSet", objs)),
    ...objs.daemonSets.map((d) => hashRollout(d, "DaemonSet", objs)),
  ];
  return out.filter((r): r is Rollout => !!r && Number.isFinite(r.start));
}

/**
 * The rollout windows per "namespace/workload" (unix seconds), for the anomaly loop: nothing
 * pages for a workload while its new revision is being verified.
 */
export function rolloutWindows(
  objs: RolloutObjects,
  windowMinutes: number,
): Map<string, { start: number; end: number }[]> {
  const out = new Map<string, { start: number; end: number }[]>();
  for (const r of findRollouts(objs)) {
    const key = `${r.namespace}/${r.name}`;
    const start = Math.floor(r.start / 1000);
    out.set(key, [...(out.get(key) ?? []), { start, end: start + windowMinutes * 60 }]);
  }
  return out;
}
