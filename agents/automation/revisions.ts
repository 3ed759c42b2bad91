/**
 * Rollout history, as `kubectl rollout history/undo` reads it: a Deployment's revisions are
 * its ReplicaSets (annotation deployment.kubernetes.io/revision), a StatefulSet's and a
 * DaemonSet's are ControllerRevisions. Each revision yields the pod template to restore.
 */
import type { V1ControllerRevision, V1PodTemplateSpec, V1ReplicaSet } from "@kubernetes/client-node";
import type { ActionContext } from "./action.ts";
import type { Workload, WorkloadRef } from "./workloads.ts";

/** The annotation holding a Deployment's (and its ReplicaSets') revision number. */
export const REVISION_ANNOTATION = "deployment.kubernetes.io/revision";

/** One revision of a workload: where it is stored and the template it holds. */
export interface Revision {
  /** Name of the ReplicaSet or ControllerRevision. */
  name: string;
  revision: number;
  template: V1PodTemplateSpec;
}

const ownedBy = (uid: string | undefined) => (o: { metadata?: { ownerReferences?: { uid: string }[] } }) =>
  uid !== undefined && (o.metadata?.ownerReferences ?? []).some((r) => r.uid === uid);

/** The ReplicaSet's template without pod-template-hash, which the controller adds itself. */
export function templateOfReplicaSet(rs: V1ReplicaSet): V1PodTemplateSpec {
  const template = structuredClone(rs.spec?.template ?? {});
  const labels = { ...(template.metadata?.labels ?? {}) };
  delete labels["pod-template-hash"];
  template.metadata = { ...template.metadata, labels };
  return template;
}

/** The template a ControllerRevision's data (a strategic patch of spec.template) holds. */
export function templateOfControllerRevision(cr: V1ControllerRevision): V1PodTemplateSpec | undefined {
  const data = cr.data as { spec?: { template?: Record<string, unknown> } } | undefined;
  const template = data?.spec?.template;
  if (!template) return undefined;
  const { $patch: _replace, ...rest } = template;
  return structuredClone(rest) as V1PodTemplateSpec;
}

/** Every revision of the workload, oldest first. */
export async function listRevisions(ctx: ActionContext, ref: WorkloadRef, w: Workload): Promise<Revision[]> {
  const uid = w.metadata?.uid;
  const out: Revision[] = [];
  if (ref.kind === "Deployment") {
    const list = await ctx.apps.listNamespacedReplicaSet({ namespace: ref.namespace });
    for (const rs of list.items.filter(ownedBy(uid))) {
      const revision = Number(rs.metadata?.annotations?.[REVISION_ANNOTATION]);
      if (Number.isInteger(revision))
        out.push({ name: rs.metadata?.name ?? "", revision, template: templateOfReplicaSet(rs) });
    }
  } else {
    const list = await ctx.apps.listNamespacedControllerRevision({ namespace: ref.namespace });
    for (const cr of list.items.filter(ownedBy(uid))) {
      const template = templateOfControllerRevision(cr);
      if (template) out.push({ name: cr.metadata?.name ?? "", revision: cr.revision, template });
    }
  }
  return out.sort((a, b) => a.revision - b.revision);
}

/** The current revision and the one to roll back to (toRevision, else the one before current). */
export function pickRollback(
  revisions: Revision[],
  toRevision?: number,
): { current: Revision; target: Revision } | { problem: string } {
  const current = revisions.at(-1);
  if (!current) return { problem: "no rollout history found" };
  if (toRevision !== undefined) {
    const target = revisions.find((r) => r.revision === toRevision);
    if (!target)
      return {
        problem: `revision ${toRevision} not found (have ${revisions.map((r) => r.revision).join(", ")})`,
      };
    if (target === current) return { problem: `revision ${toRevision} is already the current revision` };
    return { current, target };
  }
  const target = revisions.at(-2);
  return target ? { current, target } : { problem: "no previous revision to roll back to" };
}
