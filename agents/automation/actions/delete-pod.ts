/**
 * DeletePod: deletes one pod that a controller owns, so the controller replaces it. Bare and
 * mirror pods are refused: nothing would bring them back. Undo has nothing to restore; the
 * replacement is the controller's.
 */
import { Type } from "@sinclair/typebox";
import type { V1OwnerReference, V1Pod } from "@kubernetes/client-node";
import { ACTION_RISKS } from "../../../crds/actions.ts";
import { ACTION_TARGET_KINDS } from "../../../crds/action-targets.ts";
import { ActionFailedError, pending, verified } from "../action.ts";
import type { Action, ActionContext, Step, VerifyResult } from "../action.ts";
import { dryRunOf, preconditionsOf } from "../guards.ts";
import { dryRunOutcome, dryRunParam, podKey, readOrUndefined } from "../kube.ts";
import { parseParams, targetNamespace } from "../params.ts";
import { rolloutStatus } from "../rollout.ts";
import { readWorkload } from "../workloads.ts";
import type { WorkloadKind } from "../workloads.ts";

const Params = Type.Object(
  {
    gracePeriodSeconds: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 3600, description: "Termination grace period." }),
    ),
  },
  { additionalProperties: false },
);

/** Annotation of a static pod's API mirror: deleting it does nothing useful. */
const MIRROR = "kubernetes.io/config.mirror";

/** The controller owning a pod, if any. */
export const controllerOf = (pod: V1Pod): V1OwnerReference | undefined =>
  pod.metadata?.ownerReferences?.find((r) => r.controller === true);

/** Why this pod must not be deleted, if it must not. */
export function deletePodRefusal(pod: V1Pod): string | undefined {
  const name = podKey(pod.metadata?.namespace, pod.metadata?.name);
  if (pod.metadata?.annotations?.[MIRROR] !== undefined)
    return `pod ${name} is a static pod's mirror; delete it on the node`;
  if (!controllerOf(pod)) return `pod ${name} has no controller; deleting it would not bring it back`;
  return undefined;
}

const readPod = (ctx: ActionContext, step: Step) =>
  ctx.core.readNamespacedPod({ name: step.target.name, namespace: targetNamespace(step) });

async function deletePod(ctx: ActionContext, step: Step, pod: V1Pod, dryRun: boolean): Promise<void> {
  const { gracePeriodSeconds } = parseParams(Params, step);
  await ctx.core.deleteNamespacedPod({
    name: step.target.name,
    namespace: targetNamespace(step),
    dryRun: dryRunParam(dryRun),
    gracePeriodSeconds,
    // Only this very pod: a same-named replacement (StatefulSet) must never be deleted by a retry.
    body: { preconditions: { uid: pod.metadata?.uid } },
  });
}

/** Reads the pod and refuses bare and mirror pods. */
async function deletablePod(ctx: ActionContext, step: Step): Promise<V1Pod> {
  const pod = await readPod(ctx, step);
  const refusal = deletePodRefusal(pod);
  if (refusal) throw new ActionFailedError(refusal);
  return pod;
}

/** Whether the owner has all its replicas back, for the workload kinds that say so. */
async function ownerReady(
  ctx: ActionContext,
  namespace: string,
  owner: { kind: string; name: string },
): Promise<VerifyResult> {
  const kinds: WorkloadKind[] = ["ReplicaSet", "StatefulSet", "DaemonSet"];
  const kind = owner.kind as WorkloadKind;
  if (!kinds.includes(kind)) return verified(`pod deleted; ${owner.kind} ${owner.name} replaces it`);
  const status = rolloutStatus(kind, await readWorkload(ctx, { kind, namespace, name: owner.name }));
  return status.ok
    ? verified(`pod replaced: ${status.message}`)
    : pending(`waiting for the replacement: ${status.message}`);
}

export const deletePodAction: Action = {
  name: "DeletePod",
  risk: ACTION_RISKS.DeletePod,
  targetKinds: ACTION_TARGET_KINDS.DeletePod ?? [],
  params: Params,
  rbac: [
    { apiGroups: [""], resources: ["pods"], verbs: ["get", "delete"] },
    { apiGroups: ["apps"], resources: ["replicasets", "statefulsets", "daemonsets"], verbs: ["get"] },
  ],
  namespacedRbac: [],
  undoable: false,
  automatic: true,
  description: "Delete one controller-owned pod so its controller replaces it.",
  explain: {
    dryRun: "The delete with dryRun=All, preconditioned on the pod's uid; bare and mirror pods are refused.",
    verify:
      "The pod with that uid is gone and its ReplicaSet, StatefulSet or DaemonSet has all replicas available.",
    undo: "Nothing: the controller replaced the pod.",
  },
  recovery: {
    mode: "none",
    check: "whether the pod (by uid) still exists; if it is gone, its controller already replaced it",
  },
  preconditions: preconditionsOf(Params, async (ctx, step) => {
    const refusal = deletePodRefusal(await readPod(ctx, step));
    return refusal ? [refusal] : [];
  }),
  async blastRadius(_ctx, step) {
    return { pods: [podKey(targetNamespace(step), step.target.name)], instances: [] };
  },
  dryRun: dryRunOf(Params, async (ctx, step) => {
    const pod = await deletablePod(ctx, step);
    return dryRunOutcome(
      () => deletePod(ctx, step, pod, true),
      `API server accepts deleting pod ${step.target.name}`,
    );
  }),
  async execute(ctx, step) {
    const pod = await deletablePod(ctx, step);
    const owner = controllerOf(pod);
    await deletePod(ctx, step, pod, false);
    ctx.log.info({ pod: podKey(targetNamespace(step), step.target.name), owner: owner?.name }, "Deleted pod");
    return {
      message: `deleted pod ${step.target.name}; ${owner?.kind} ${owner?.name} replaces it`,
      undoState: { uid: pod.metadata?.uid, owner: { kind: owner?.kind, name: owner?.name } },
    };
  },
  async verify(ctx, step, state) {
    const namespace = targetNamespace(step);
    const now = await readOrUndefined(() => readPod(ctx, step));
    if (now && now.metadata?.uid === state.uid)
      return pending(`pod ${step.target.name} is still terminating`);
    const owner = state.owner as { kind: string; name: string } | undefined;
    return owner?.kind ? ownerReady(ctx, namespace, owner) : verified(`pod ${step.target.name} deleted`);
  },
  async undo(_ctx, step) {
    return { message: `nothing to undo: the controller replaced pod ${step.target.name}` };
  },
};
