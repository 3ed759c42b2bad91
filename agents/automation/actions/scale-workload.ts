/**
 * ScaleWorkload: sets replicas through the scale subresource (what `kubectl scale` does), so
 * only replicas can change. Undo scales back to the replicas it found.
 */
import { Type } from "@sinclair/typebox";
import type { V1Scale } from "@kubernetes/client-node";
import { ACTION_RISKS } from "../../../crds/actions.ts";
import { ACTION_TARGET_KINDS } from "../../../crds/action-targets.ts";
import { failedVerify } from "../action.ts";
import type { Action, ActionContext, Observer, Step } from "../action.ts";
import { FIELD_MANAGER, MERGE_PATCH, dryRunOutcome, dryRunParam } from "../kube.ts";
import { parseParams } from "../params.ts";
import { verifyRollout } from "../rollout.ts";
import { newestFirst, podKeys, readWorkload, showRef, workloadPods, workloadRef } from "../workloads.ts";
import type { WorkloadRef } from "../workloads.ts";
import { hpaFor } from "../hpa.ts";
import { dryRunOf, preconditionsOf } from "../guards.ts";

const Params = Type.Object(
  { replicas: Type.Integer({ minimum: 0, maximum: 10000, description: "Desired replicas." }) },
  { additionalProperties: false },
);

/** Patches the scale subresource of a Deployment, StatefulSet or ReplicaSet. */
async function patchScale(
  ctx: ActionContext,
  ref: WorkloadRef,
  replicas: number,
  dryRun: boolean,
): Promise<V1Scale> {
  const p = {
    name: ref.name,
    namespace: ref.namespace,
    body: { spec: { replicas } },
    dryRun: dryRunParam(dryRun),
    fieldManager: FIELD_MANAGER,
  };
  if (ref.kind === "Deployment") return ctx.apps.patchNamespacedDeploymentScale(p, MERGE_PATCH);
  if (ref.kind === "StatefulSet") return ctx.apps.patchNamespacedStatefulSetScale(p, MERGE_PATCH);
  if (ref.kind === "ReplicaSet") return ctx.apps.patchNamespacedReplicaSetScale(p, MERGE_PATCH);
  throw new Error(`${ref.kind} has no scale subresource`);
}

const preconditions = preconditionsOf(Params, async (ctx, step) => {
  const ref = workloadRef(step);
  const owner = (await readWorkload(ctx, ref)).metadata?.ownerReferences?.find((o) => o.controller);
  // Its Deployment would scale an owned ReplicaSet straight back.
  if (owner) return [`${showRef(ref)} is managed by ${owner.kind} ${owner.name}; scale that instead`];
  const hpa = await hpaFor(ctx, ref);
  // An HPA would undo a manual scale at its next sync: change its bounds instead.
  return hpa ? [`HorizontalPodAutoscaler ${hpa} manages ${showRef(ref)}; use PatchHPA`] : [];
});

/** Scale-down removes pods (the newest, as the controller would); scale-up disrupts none. */
async function blastRadius(ctx: ActionContext, step: Step) {
  const { replicas } = parseParams(Params, step);
  const ref = workloadRef(step);
  const pods = await workloadPods(ctx, ref, await readWorkload(ctx, ref));
  const removed = pods.length > replicas ? [...pods].sort(newestFirst).slice(0, pods.length - replicas) : [];
  return { pods: podKeys(removed), instances: [] };
}

const replicasOf = async (ctx: ActionContext, step: Step): Promise<number> => {
  const w = await readWorkload(ctx, workloadRef(step));
  return w.spec && "replicas" in w.spec ? (w.spec.replicas ?? 1) : 1;
};

/** Crash recovery: replicas moved from what was read before the fence to the step's value means it ran. */
const replicasObserver: Observer = {
  how: "replicas moved from the value read before execute to the step's value: it ran (undo scales back to the value read); unchanged: it did not, and it executes again",
  before: async (ctx, step) => ({ replicas: await replicasOf(ctx, step) }),
  after: async (ctx, step, before) => {
    const now = await replicasOf(ctx, step);
    const want = Number(step.params?.replicas);
    return now === want && now !== before.replicas ? { replicas: before.replicas } : undefined;
  },
};

export const scaleWorkload: Action = {
  name: "ScaleWorkload",
  risk: ACTION_RISKS.ScaleWorkload,
  targetKinds: ACTION_TARGET_KINDS.ScaleWorkload ?? [],
  params: Params,
  rbac: [
    { apiGroups: ["apps"], resources: ["deployments", "statefulsets", "replicasets"], verbs: ["get"] },
    {
      apiGroups: ["apps"],
      resources: ["deployments/scale", "statefulsets/scale", "replicasets/scale"],
      verbs: ["patch"],
    },
    { apiGroups: [""], resources: ["pods"], verbs: ["list"] },
    { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: ["list"] },
  ],
  namespacedRbac: [],
  undoable: true,
  automatic: true,
  description: "Set the replicas of a Deployment, StatefulSet or ReplicaSet through its scale subresource.",
  explain: {
    dryRun: "The scale subresource patch with dryRun=All.",
    verify: "Replicas still equal the step's value and the rollout is complete (updated and available).",
    undo: "Scales back to the replicas found before.",
  },
  recovery: { mode: "observe", observer: replicasObserver },
  preconditions,
  blastRadius,
  dryRun: dryRunOf(Params, async (ctx, step) => {
    const { replicas } = parseParams(Params, step);
    const ref = workloadRef(step);
    return dryRunOutcome(
      () => patchScale(ctx, ref, replicas, true),
      `API server accepts ${showRef(ref)} replicas=${replicas}`,
    );
  }),
  async execute(ctx, step) {
    const { replicas } = parseParams(Params, step);
    const ref = workloadRef(step);
    const before = await readWorkload(ctx, ref);
    const previous = before.spec && "replicas" in before.spec ? (before.spec.replicas ?? 1) : 1;
    await patchScale(ctx, ref, replicas, false);
    ctx.log.info({ target: showRef(ref), from: previous, to: replicas }, "Scaled workload");
    return {
      message: `scaled ${showRef(ref)} from ${previous} to ${replicas}`,
      undoState: { replicas: previous },
    };
  },
  async verify(ctx, step) {
    const { replicas } = parseParams(Params, step);
    const ref = workloadRef(step);
    const w = await readWorkload(ctx, ref);
    const now = w.spec && "replicas" in w.spec ? w.spec.replicas : undefined;
    if (now !== replicas) return failedVerify(`${showRef(ref)} replicas changed to ${now} by someone else`);
    return verifyRollout(ctx, step);
  },
  async undo(ctx, step, state) {
    const ref = workloadRef(step);
    const replicas = Number(state.replicas);
    if (!Number.isInteger(replicas)) throw new Error("undo state has no previous replicas");
    await patchScale(ctx, ref, replicas, false);
    ctx.log.info({ target: showRef(ref), to: replicas }, "Restored replicas");
    return { message: `scaled ${showRef(ref)} back to ${replicas}` };
  },
};
