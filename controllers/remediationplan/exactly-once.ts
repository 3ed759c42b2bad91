/**
 * Exactly-once execution across crashes (docs/adr/0003-exactly-once-remediation.md). A step
 * is written Running (the fence) before execute is called, and its result (executedAt,
 * undoState) in the next write. A step found Running without a result was interrupted: the
 * controller never re-executes it blindly, it resolves it as the action's own `recovery`
 * declaration says (agents/automation/actions/*.ts), or gives up.
 */
import type { Action, ActionContext, Observer, Step } from "../../agents/automation/action.ts";
import type { ActionCatalog } from "../../agents/automation/catalog.ts";
import type { StepStatus } from "./steps.ts";

/** How many fenced attempts of a rerunnable action before giving up. */
export const MAX_ATTEMPTS = 3;

/** What to do with a step found Running without a recorded result. */
export type Resolution =
  | { kind: "verify" }
  | { kind: "observe"; observer: Observer; before: Record<string, unknown> }
  | { kind: "rerun" }
  | { kind: "fail"; message: string };

/** The action's observer, when its recovery is by observation. */
const observerOf = (action: Action | undefined): Observer | undefined =>
  action?.recovery.mode === "observe" ? action.recovery.observer : undefined;

/** Reads what the observer compares against after a crash; undefined when the action is not observed. */
export async function observeBefore(
  action: Action,
  ctx: ActionContext,
  step: Step,
): Promise<Record<string, unknown> | undefined> {
  return observerOf(action)?.before(ctx, step);
}

/**
 * Decides an interrupted step (pure): verify a recorded result, observe, re-run an
 * idempotent action, or fail, as the catalog's action declares.
 */
export function resolveInterrupted(catalog: ActionCatalog, action: string, step: StepStatus): Resolution {
  if (step.executedAt) return { kind: "verify" };
  const declared = catalog.get(action);
  const before = step.undoState?.observedBefore as Record<string, unknown> | undefined;
  const observer = observerOf(declared);
  if (observer && before) return { kind: "observe", observer, before };
  if (declared?.recovery.mode === "rerun" && (step.attempt ?? 0) < MAX_ATTEMPTS) return { kind: "rerun" };
  // Only a "none" declaration knows what to look at; an exhausted re-run or a missing observation does not.
  const check = declared?.recovery.mode === "none" ? declared.recovery.check : "the target";
  return {
    kind: "fail",
    message: `interrupted; state unknown: the operator stopped while ${action} was executing; check by hand: ${check}`,
  };
}
