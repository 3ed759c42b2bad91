/**
 * Workload changes: each new revision (a Deployment's ReplicaSets by their
 * `deployment.kubernetes.io/revision`, a StatefulSet's or DaemonSet's ControllerRevisions)
 * with what differs from the revision before it, `kubectl rollout restart`, and scale events.
 */
import type { ClusterEvent } from "../events.ts";
import type { K8sObject, PodTemplate, Workload } from "../k8s.ts";
import { toMs } from "../k8s.ts";
import { ref, refOf } from "../refs.ts";
import type { ClusterView } from "../view.ts";
import type { Candidate } from "./candidate.ts";
import { writeTimes } from "./managed-fields.ts";
import { describeDiff, RESTARTED_AT, templateDiff } from "./template-diff.ts";

interface Rev {
  template?: PodTemplate;
  created?: number;
  number: number;
}

function fromRevisions(owner: Workload, revs: Rev[]): Candidate[] {
  const sorted = [...revs].sort((a, b) => b.number - a.number || (b.created ?? 0) - (a.created ?? 0));
  const out: Candidate[] = [];
  sorted.forEach((rev, i) => {
    const prev = sorted[i + 1];
    if (rev.created === undefined || !prev) return;
    const diff = templateDiff(prev.template, rev.template);
    const restartOnly = diff.length === 1 && diff[0] === "rollout restart";
    const restartAt = toMs(rev.template?.metadata?.annotations?.[RESTARTED_AT]);
    out.push({
      ref: refOf(owner),
      at: restartOnly && restartAt !== undefined ? restartAt : rev.created,
      what: restartOnly ? "rollout restart" : describeDiff(diff, rev.number),
      cls: restartOnly ? "restart" : "revision",
    });
  });
  return out;
}

function deploymentRevisions(view: ClusterView, dep: Workload): Candidate[] {
  const revs = view
    .ownedBy(dep)
    .filter((o): o is Workload => o.kind === "ReplicaSet")
    .map((rs) => ({
      template: rs.spec?.template,
      created: toMs(rs.metadata?.creationTimestamp),
      number: Number(rs.metadata?.annotations?.["deployment.kubernetes.io/revision"] ?? 0),
    }));
  return fromRevisions(dep, revs);
}

interface ControllerRevision extends K8sObject {
  revision?: number;
  data?: { spec?: { template?: PodTemplate } };
}

function controllerRevisions(view: ClusterView, w: Workload): Candidate[] {
  const revs = view
    .ownedBy(w)
    .filter((o): o is ControllerRevision => o.kind === "ControllerRevision")
    .map((cr) => ({
      template: cr.data?.spec?.template,
      created: toMs(cr.metadata?.creationTimestamp),
      number: cr.revision ?? 0,
    }));
  return fromRevisions(w, revs);
}

/** A restartedAt annotation on the workload's template, when its revisions are not in the snapshot. */
function restartAnnotation(w: Workload): Candidate[] {
  const at = toMs(w.spec?.template?.metadata?.annotations?.[RESTARTED_AT]);
  return at === undefined ? [] : [{ ref: refOf(w), at, what: "rollout restart", cls: "restart" }];
}

const SCALED = /^Scaled (?:up|down) replica set (\S+) (?:from (\d+) )?to (\d+)/;

/** A scale event as a candidate, unless it is a rollout (the ReplicaSet was born with it). */
function scaleOf(view: ClusterView, dep: Workload, e: ClusterEvent): Candidate | undefined {
  const m = e.reason === "ScalingReplicaSet" ? SCALED.exec(e.message) : null;
  const at = e.lastSeen ?? e.firstSeen;
  if (!m || at === undefined) return undefined;
  const ns = e.namespace;
  const created = toMs(view.get("ReplicaSet", ns, m[1] ?? "")?.metadata?.creationTimestamp);
  if (created === undefined || Math.abs((e.firstSeen ?? at) - created) <= 60_000) return undefined;
  const what = m[2] ? `replicas ${m[2]} → ${m[3]}` : `replicas scaled to ${m[3]}`;
  return { ref: ref("Deployment", ns, dep.metadata?.name ?? ""), at, what, cls: "scale" };
}

/** Scale events of a Deployment that resized an existing ReplicaSet. */
function scaleEvents(view: ClusterView, dep: Workload): Candidate[] {
  return view.eventsFor(dep).flatMap((e) => scaleOf(view, dep, e) ?? []);
}

const REPLICAS = [["f:spec", "f:replicas"]] as const;

/**
 * `kubectl scale` or an edit of spec.replicas, from managedFields when no event tells it. The
 * HPA and GitOps tools write replicas too; any client write counts, the status never does.
 */
function replicaWrites(w: Workload): Candidate[] {
  const born = toMs(w.metadata?.creationTimestamp) ?? -Infinity;
  const to = w.spec?.replicas;
  return writeTimes(w, REPLICAS)
    .filter((t) => t > born + 5_000)
    .map((at) => ({
      ref: refOf(w),
      at,
      what: to === undefined ? "replicas changed" : `replicas set to ${to}`,
      cls: "scale",
    }));
}

/** Every revision, restart and scale change of a workload. */
export function workloadChanges(view: ClusterView, w: Workload): Candidate[] {
  switch (w.kind) {
    case "Deployment": {
      const revs = deploymentRevisions(view, w);
      const scaled = scaleEvents(view, w);
      return [...(revs.length ? revs : restartAnnotation(w)), ...(scaled.length ? scaled : replicaWrites(w))];
    }
    case "StatefulSet":
    case "DaemonSet": {
      const revs = controllerRevisions(view, w);
      return [
        ...(revs.length ? revs : restartAnnotation(w)),
        ...(w.kind === "StatefulSet" ? replicaWrites(w) : []),
      ];
    }
    default:
      return [];
  }
}
