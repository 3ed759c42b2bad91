import type { RemediationPlan, RemediationPlanStatus } from "../../crds/index.ts";
import { ConditionType, Reason, RemediationPlanPhase, StepPhase } from "../../crds/index.ts";
import { findCondition } from "../../runtime/index.ts";

export type StepStatus = NonNullable<RemediationPlanStatus["steps"]>[number];

/** The next thing a Running plan does: one move per reconcile, each ending in one status write. */
export type Move =
  | { kind: "prepare"; index: number }
  | { kind: "execute"; index: number }
  | { kind: "interrupted"; index: number }
  | { kind: "verify"; index: number }
  | { kind: "undo"; index: number }
  | { kind: "verifyPlan" }
  | { kind: "finish"; phase: string; reason: string; message: string };

/** The status entry of step i (by name), or a Pending one. */
export function stepAt(plan: RemediationPlan, i: number): StepStatus {
  const name = plan.spec.steps[i]!.name;
  return plan.status?.steps?.find((s) => s.name === name) ?? { name, phase: StepPhase.Pending };
}

/** True when execute is known to have returned (its result is in status). */
export const executed = (s: StepStatus): boolean => s.executedAt !== undefined;

/** Why the plan failed, from the conditions the failing move wrote. */
export function failureReason(plan: RemediationPlan): string {
  const c = plan.status?.conditions;
  if (findCondition(c, ConditionType.Verified)?.status === "False") return Reason.VerificationFailed;
  if (findCondition(c, ConditionType.DryRunPassed)?.status === "False") return Reason.DryRunFailed;
  return Reason.StepFailed;
}

/** Steps to undo, newest first: executed, with undo state, undoable, not yet undone. */
function undoQueue(plan: RemediationPlan, undoable: (action: string) => boolean): number[] {
  const out: number[] = [];
  for (let i = plan.spec.steps.length - 1; i >= 0; i--) {
    const s = stepAt(plan, i);
    if (s.phase === StepPhase.Undone || !executed(s) || !s.undoState) continue;
    if (undoable(plan.spec.steps[i]!.action)) out.push(i);
  }
  return out;
}

/** Why the plan is unwinding: the failure condition's message, else the failed step's (-1: the plan's check). */
function failureMessage(plan: RemediationPlan, failedAt: number): string {
  const c = plan.status?.conditions;
  const failing = [ConditionType.Verified, ConditionType.DryRunPassed]
    .map((t) => findCondition(c, t))
    .find((x) => x?.status === "False");
  if (failing?.message) return failing.message;
  if (failedAt < 0) return "plan-level verification failed";
  const step = stepAt(plan, failedAt);
  return `step ${step.name} failed: ${step.message ?? "no message"}`;
}

/** What a failed plan does: undo the next executed step, or end RolledBack / Failed. */
function unwind(plan: RemediationPlan, failedAt: number, undoable: (action: string) => boolean): Move {
  const reason = failureReason(plan);
  const why = failureMessage(plan, failedAt);
  if (plan.spec.undoOnFailure !== false) {
    const next = undoQueue(plan, undoable)[0];
    if (next !== undefined) return { kind: "undo", index: next };
    const undone = plan.spec.steps.some((_, i) => stepAt(plan, i).phase === StepPhase.Undone);
    if (undone)
      return {
        kind: "finish",
        phase: RemediationPlanPhase.RolledBack,
        reason: Reason.RolledBack,
        message: `${why}; executed steps undone`,
      };
  }
  return { kind: "finish", phase: RemediationPlanPhase.Failed, reason, message: why };
}

/** The next move of a Running plan, from its status alone (level-based: safe to recompute). */
export function nextMove(plan: RemediationPlan, undoable: (action: string) => boolean): Move {
  const n = plan.spec.steps.length;
  // A Failed step starts the unwind; an Undone one (the failed step itself, undone) continues it.
  const phases = plan.spec.steps.map((_, i) => stepAt(plan, i).phase);
  const failedAt = phases.indexOf(StepPhase.Failed);
  if (failedAt >= 0) return unwind(plan, failedAt, undoable);
  const undoneAt = phases.indexOf(StepPhase.Undone);
  if (undoneAt >= 0) return unwind(plan, undoneAt, undoable);
  for (let i = 0; i < n; i++) {
    const s = stepAt(plan, i);
    if (s.phase === StepPhase.Succeeded) continue;
    if (s.phase === StepPhase.Pending) return { kind: "prepare", index: i };
    if (s.phase === StepPhase.DryRun) return { kind: "execute", index: i };
    if (s.phase === StepPhase.Running) return { kind: executed(s) ? "verify" : "interrupted", index: i };
    if (s.phase === StepPhase.Verifying) return { kind: "verify", index: i };
  }
  // Every step verified itself: the plan-level PromQL check decides. A failed check (Verified=False
  // with no failed step) unwinds like a failed step verification.
  if (plan.spec.verification?.promql) {
    const verified = findCondition(plan.status?.conditions, ConditionType.Verified);
    if (verified?.status === "False") return unwind(plan, -1, undoable);
    return { kind: "verifyPlan" };
  }
  return {
    kind: "finish",
    phase: RemediationPlanPhase.Succeeded,
    reason: Reason.Succeeded,
    message: `all ${n} steps executed and verified`,
  };
}

/** Replaces step i's status entry with a mutation of it; keeps progress (finished / all) current. */
export function patchStep(
  s: RemediationPlanStatus,
  plan: RemediationPlan,
  i: number,
  mutate: (step: StepStatus) => void,
): void {
  const steps = plan.spec.steps.map(
    (st) => s.steps?.find((x) => x.name === st.name) ?? { name: st.name, phase: StepPhase.Pending },
  );
  const step = { ...steps[i]! };
  mutate(step);
  steps[i] = step;
  s.steps = steps;
  const done = steps.filter((x) => x.phase === StepPhase.Succeeded).length;
  s.progress = `${done}/${steps.length}`;
}
