/**
 * CordonNode and UncordonNode: set or clear spec.unschedulable, as `kubectl cordon/uncordon`
 * do. Neither moves a pod; undo restores the state found before, and only if it changed it.
 */
import { Type } from "@sinclair/typebox";
import { ACTION_RISKS } from "../../../crds/actions.ts";
import { ACTION_TARGET_KINDS } from "../../../crds/action-targets.ts";
import { noBlast } from "../action.ts";
import type { Action, ActionContext, Step } from "../action.ts";
import { dryRunOf, preconditionsOf } from "../guards.ts";
import { dryRunOutcome } from "../kube.ts";
import { NODE_RULES, isCordoned, readNode, setUnschedulable, verifySchedulable } from "../nodes.ts";

const Params = Type.Object({}, { additionalProperties: false });

/** The action that sets the node's cordon to `cordon` (CordonNode or UncordonNode). */
export function nodeSchedulingAction(cordon: boolean): Action {
  const name = cordon ? "CordonNode" : "UncordonNode";
  const verb = cordon ? "cordoned" : "uncordoned";
  const set = async (ctx: ActionContext, step: Step) => {
    const before = isCordoned(await readNode(ctx, step));
    if (before !== cordon) await setUnschedulable(ctx, step.target.name, cordon, false);
    return before;
  };
  return {
    name,
    risk: ACTION_RISKS[name],
    targetKinds: ACTION_TARGET_KINDS[name] ?? [],
    params: Params,
    rbac: NODE_RULES,
    namespacedRbac: [],
    undoable: true,
    automatic: true,
    description: cordon ? "Mark a node unschedulable; running pods stay." : "Mark a node schedulable again.",
    explain: {
      dryRun: "The merge patch of spec.unschedulable with dryRun=All.",
      verify: `The node is ${verb}; it fails when someone else changed it back.`,
      undo: "Restores the scheduling state found before, only if the step changed it.",
    },
    recovery: { mode: "rerun", why: "it sets spec.unschedulable to a fixed value" },
    preconditions: preconditionsOf(Params, async (ctx, step) => {
      await readNode(ctx, step);
      return [];
    }),
    blastRadius: async () => noBlast(),
    dryRun: dryRunOf(Params, async (ctx, step) =>
      dryRunOutcome(
        () => setUnschedulable(ctx, step.target.name, cordon, true),
        `API server accepts node ${step.target.name} ${verb}`,
      ),
    ),
    async execute(ctx, step) {
      const wasCordoned = await set(ctx, step);
      ctx.log.info({ node: step.target.name, wasCordoned }, cordon ? "Cordoned node" : "Uncordoned node");
      const already = wasCordoned === cordon ? " (it already was)" : "";
      return { message: `node ${step.target.name} ${verb}${already}`, undoState: { wasCordoned } };
    },
    verify: (ctx, step) => verifySchedulable(ctx, step, cordon),
    async undo(ctx, step, state) {
      const wasCordoned = state.wasCordoned === true;
      // Only put back what this step changed: a node cordoned by someone else stays cordoned.
      if (wasCordoned === cordon)
        return { message: `node ${step.target.name} left as it was before the step` };
      await setUnschedulable(ctx, step.target.name, wasCordoned, false);
      ctx.log.info({ node: step.target.name, cordoned: wasCordoned }, "Restored node scheduling");
      return { message: `node ${step.target.name} ${wasCordoned ? "cordoned" : "uncordoned"} again` };
    },
  };
}
