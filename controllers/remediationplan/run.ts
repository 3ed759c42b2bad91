import type { RemediationPlan } from "../../crds/index.ts";
import { ConditionType, Reason, RemediationPlanPhase } from "../../crds/index.ts";
import type { Result } from "../../runtime/index.ts";
import { execute, interrupted, prepare, undo, verify } from "./moves.ts";
import type { MoveDeps } from "./moves.ts";
import { cond, finish } from "./plan-status.ts";
import { verifyPlan } from "./plan-verify.ts";
import type { PlanVerifyDeps } from "./plan-verify.ts";
import { nextMove } from "./steps.ts";

/** Ends the plan in a final phase (one status write, one Event). */
async function end(d: MoveDeps, plan: RemediationPlan, phase: string, reason: string, message: string) {
  const now = d.now();
  const { obj } = await d.write(plan, (s, current) => {
    if (current.status?.phase !== RemediationPlanPhase.Running) return;
    if (phase === RemediationPlanPhase.Succeeded)
      cond(
        s,
        current,
        { type: ConditionType.Verified, status: "True", reason: Reason.Verified, message },
        now,
      );
    finish(s, current, { phase, reason, message }, now);
  });
  await d.report(obj, -1, phase, message, phase !== RemediationPlanPhase.Succeeded);
}

/** Running: one move of the step state machine (steps.ts nextMove), then the plan-level check. */
export async function runPlan(d: PlanVerifyDeps, plan: RemediationPlan): Promise<Result | void> {
  const undoable = (action: string) => d.catalog.get(action)?.undoable ?? false;
  const move = nextMove(plan, undoable);
  switch (move.kind) {
    case "prepare":
      return prepare(d, plan, move.index);
    case "execute":
      return execute(d, plan, move.index);
    case "interrupted":
      return interrupted(d, plan, move.index);
    case "verify":
      return verify(d, plan, move.index);
    case "verifyPlan":
      return verifyPlan(d, plan);
    case "undo": {
      const failure = await undo(d, plan, move.index);
      if (failure) return end(d, plan, RemediationPlanPhase.Failed, Reason.UndoFailed, failure);
      return;
    }
    case "finish":
      return end(d, plan, move.phase, move.reason, move.message);
  }
}
