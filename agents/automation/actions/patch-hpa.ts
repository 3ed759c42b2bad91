/**
 * PatchHPA: sets a HorizontalPodAutoscaler's minReplicas and/or maxReplicas (merge patch).
 * Verify waits until the current replicas sit inside the new bounds; undo restores the old ones.
 */
import { Type } from "@sinclair/typebox";
import type { V2HorizontalPodAutoscaler } from "@kubernetes/client-node";
import { ACTION_RISKS } from "../../../crds/actions.ts";
import { ACTION_TARGET_KINDS } from "../../../crds/action-targets.ts";
import { pending, verified } from "../action.ts";
import type { Action, ActionContext, Step } from "../action.ts";
import { dryRunOf, preconditionsOf } from "../guards.ts";
import { FIELD_MANAGER, MERGE_PATCH, dryRunOutcome, dryRunParam } from "../kube.ts";
import { parseParams, targetNamespace } from "../params.ts";
import { newestFirst, podKeys, readWorkload, workloadPods } from "../workloads.ts";
import type { WorkloadKind } from "../workloads.ts";

const Params = Type.Object(
  {
    minReplicas: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, description: "New lower bound." })),
    maxReplicas: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, description: "New upper bound." })),
  },
  { additionalProperties: false, minProperties: 1, description: "At least one of minReplicas, maxReplicas." },
);

interface Bounds {
  minReplicas?: number | null;
  maxReplicas?: number;
}

const readHpa = (ctx: ActionContext, step: Step): Promise<V2HorizontalPodAutoscaler> =>
  ctx.autoscaling.readNamespacedHorizontalPodAutoscaler({
    name: step.target.name,
    namespace: targetNamespace(step),
  });

const patchBounds = (ctx: ActionContext, step: Step, bounds: Bounds, dryRun: boolean) =>
  ctx.autoscaling.patchNamespacedHorizontalPodAutoscaler(
    {
      name: step.target.name,
      namespace: targetNamespace(step),
      body: { spec: bounds },
      dryRun: dryRunParam(dryRun),
      fieldManager: FIELD_MANAGER,
    },
    MERGE_PATCH,
  );

/** The bounds after the step: the params over what the HPA has. */
function nextBounds(hpa: V2HorizontalPodAutoscaler, step: Step): { min: number; max: number } {
  const p = parseParams(Params, step);
  return {
    min: p.minReplicas ?? hpa.spec?.minReplicas ?? 1,
    max: p.maxReplicas ?? hpa.spec?.maxReplicas ?? 1,
  };
}

const show = (step: Step) => `HorizontalPodAutoscaler ${step.target.namespace}/${step.target.name}`;

/** Lowering max below the current replicas removes pods of the scale target (the newest). */
async function blastRadius(ctx: ActionContext, step: Step) {
  const hpa = await readHpa(ctx, step);
  const { max } = nextBounds(hpa, step);
  const current = hpa.status?.currentReplicas ?? 0;
  const t = hpa.spec?.scaleTargetRef;
  const kinds = ["Deployment", "StatefulSet", "ReplicaSet"];
  if (current <= max || !t || !kinds.includes(t.kind)) return { pods: [], instances: [] };
  const ref = { kind: t.kind as WorkloadKind, namespace: targetNamespace(step), name: t.name };
  const pods = await workloadPods(ctx, ref, await readWorkload(ctx, ref));
  return { pods: podKeys(pods.sort(newestFirst).slice(0, current - max)), instances: [] };
}

export const patchHpa: Action = {
  name: "PatchHPA",
  risk: ACTION_RISKS.PatchHPA,
  targetKinds: ACTION_TARGET_KINDS.PatchHPA ?? [],
  params: Params,
  rbac: [
    { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: ["get", "patch"] },
    { apiGroups: ["apps"], resources: ["deployments", "statefulsets", "replicasets"], verbs: ["get"] },
    { apiGroups: [""], resources: ["pods"], verbs: ["list"] },
  ],
  namespacedRbac: [],
  undoable: true,
  automatic: true,
  description: "Set the minReplicas/maxReplicas of a HorizontalPodAutoscaler.",
  explain: {
    dryRun: "The merge patch of the bounds with dryRun=All.",
    verify: "The HPA's current replicas sit inside the new bounds.",
    undo: "Restores the bounds found before.",
  },
  recovery: { mode: "rerun", why: "it sets minReplicas/maxReplicas to fixed values" },
  preconditions: preconditionsOf(Params, async (ctx, step) => {
    const { min, max } = nextBounds(await readHpa(ctx, step), step);
    return min > max ? [`minReplicas ${min} would exceed maxReplicas ${max}`] : [];
  }),
  blastRadius,
  dryRun: dryRunOf(Params, async (ctx, step) => {
    const { minReplicas, maxReplicas } = parseParams(Params, step);
    return dryRunOutcome(
      () => patchBounds(ctx, step, { minReplicas, maxReplicas }, true),
      `API server accepts the new bounds of ${show(step)}`,
    );
  }),
  async execute(ctx, step) {
    const before = await readHpa(ctx, step);
    const { minReplicas, maxReplicas } = parseParams(Params, step);
    await patchBounds(ctx, step, { minReplicas, maxReplicas }, false);
    const previous = { minReplicas: before.spec?.minReplicas ?? null, maxReplicas: before.spec?.maxReplicas };
    ctx.log.info({ hpa: show(step), previous, minReplicas, maxReplicas }, "Patched HPA bounds");
    return {
      message: `${show(step)} bounds set to ${JSON.stringify({ minReplicas, maxReplicas })}`,
      undoState: previous,
    };
  },
  async verify(ctx, step) {
    const hpa = await readHpa(ctx, step);
    const { min, max } = nextBounds(hpa, step);
    const current = hpa.status?.currentReplicas ?? 0;
    if (current < min || current > max)
      return pending(`${show(step)} at ${current} replicas, moving into [${min}, ${max}]`);
    return verified(`${show(step)} at ${current} replicas within [${min}, ${max}]`);
  },
  async undo(ctx, step, state) {
    const bounds: Bounds = {
      minReplicas: (state.minReplicas as number | null) ?? null,
      maxReplicas: Number(state.maxReplicas),
    };
    await patchBounds(ctx, step, bounds, false);
    ctx.log.info({ hpa: show(step), bounds }, "Restored HPA bounds");
    return { message: `${show(step)} bounds restored to ${JSON.stringify(bounds)}` };
  },
};
