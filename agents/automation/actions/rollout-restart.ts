/**
 * RolloutRestart: stamps the pod template with kubectl.kubernetes.io/restartedAt (what
 * `kubectl rollout restart` does), so the controller replaces every pod by its own rollout
 * strategy. Undo has nothing to restore: the old pods are gone either way.
 */
import { Type } from "@sinclair/typebox";
import type { V1Deployment } from "@kubernetes/client-node";
import { ACTION_RISKS } from "../../../crds/actions.ts";
import { ACTION_TARGET_KINDS } from "../../../crds/action-targets.ts";
import type { Action, ActionContext, Step } from "../action.ts";
import { MERGE_PATCH, dryRunOutcome } from "../kube.ts";
import { dryRunOf, preconditionsOf } from "../guards.ts";
import { verifyRollout } from "../rollout.ts";
import {
  allPodsOf,
  patchWorkload,
  readWorkload,
  showRef,
  workloadRef,
  TEMPLATE_PATCH_RULES,
} from "../workloads.ts";

/** The annotation kubectl rollout restart sets on the pod template. */
export const RESTARTED_AT = "kubectl.kubernetes.io/restartedAt";

const Params = Type.Object({}, { additionalProperties: false });

/** The merge patch that restarts a workload at `at`. */
const restartPatch = (at: string) => ({
  spec: { template: { metadata: { annotations: { [RESTARTED_AT]: at } } } },
});

async function restart(ctx: ActionContext, step: Step, dryRun: boolean): Promise<string> {
  const at = new Date(ctx.clock.now()).toISOString();
  await patchWorkload(ctx, workloadRef(step), restartPatch(at), { dryRun, patch: MERGE_PATCH });
  return at;
}

export const rolloutRestart: Action = {
  name: "RolloutRestart",
  risk: ACTION_RISKS.RolloutRestart,
  targetKinds: ACTION_TARGET_KINDS.RolloutRestart ?? [],
  params: Params,
  rbac: [...TEMPLATE_PATCH_RULES],
  namespacedRbac: [],
  undoable: false,
  automatic: true,
  description: "Replace every pod of a Deployment, StatefulSet or DaemonSet by a rolling restart.",
  explain: {
    dryRun: `The merge patch of the pod template's ${RESTARTED_AT} annotation with dryRun=All.`,
    verify: "The rollout completes: every replica runs the new template and is available.",
    undo: "Nothing: the replaced pods cannot come back.",
  },
  recovery: {
    mode: "none",
    check: `whether the pod template carries a new ${RESTARTED_AT} and its pods are being replaced`,
  },
  preconditions: preconditionsOf(Params, async (ctx, step) => {
    const ref = workloadRef(step);
    const w = await readWorkload(ctx, ref);
    // A paused Deployment accepts the new template but never rolls it out.
    return ref.kind === "Deployment" && (w as V1Deployment).spec?.paused ? [`${showRef(ref)} is paused`] : [];
  }),
  async blastRadius(ctx, step) {
    return { pods: await allPodsOf(ctx, step), instances: [] };
  },
  dryRun: dryRunOf(Params, async (ctx, step) =>
    dryRunOutcome(
      () => restart(ctx, step, true),
      `API server accepts the restart of ${showRef(workloadRef(step))}`,
    ),
  ),
  async execute(ctx, step) {
    const ref = workloadRef(step);
    const at = await restart(ctx, step, false);
    ctx.log.info({ target: showRef(ref), restartedAt: at }, "Restarted workload");
    return { message: `restarted ${showRef(ref)} at ${at}`, undoState: { restartedAt: at } };
  },
  verify: (ctx, step) => verifyRollout(ctx, step),
  async undo(_ctx, step) {
    return { message: `nothing to undo: the pods of ${showRef(workloadRef(step))} were already replaced` };
  },
};
