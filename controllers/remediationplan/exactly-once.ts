/**
 * Exactly-once execution across crashes (docs/adr/0003-exactly-once-remediation.md). A step
 * is written Running (the fence) before execute is called, and its result (executedAt,
 * undoState) in the next write. A step found Running without a result was interrupted: the
 * controller never re-executes it blindly, it resolves it by observation or gives up.
 */
import type { ActionContext, Step, UndoState } from "../../agents/automation/action.ts";
import { ROLLED_BACK_FROM } from "../../agents/automation/actions/rollout-undo.ts";
import { readWorkload, workloadRef } from "../../agents/automation/workloads.ts";
import type { StepStatus } from "./steps.ts";

/**
 * Actions whose re-execution converges to the same state and records a usable undo state:
 * setting a flag or fixed bounds. Everything else is resolved by an observer or fails.
 */
export const RERUNNABLE_ACTIONS: ReadonlySet<string> = new Set([
  "SuspendCronJob",
  "CordonNode",
  "UncordonNode",
  "PatchHPA",
]);

/** How many fenced attempts of a rerunnable action before giving up. */
export const MAX_ATTEMPTS = 3;

/** Records what the target looked like before execute, and tells afterwards whether execute ran. */
export interface Observer {
  /** Read just before the fence write; stored in undoState.observedBefore. */
  before(ctx: ActionContext, step: Step): Promise<Record<string, unknown>>;
  /** The undo state execute would have returned if it ran, or undefined when it did not run. */
  after(ctx: ActionContext, step: Step, before: Record<string, unknown>): Promise<UndoState | undefined>;
}

const replicasOf = async (ctx: ActionContext, step: Step): Promise<number> => {
  const w = await readWorkload(ctx, workloadRef(step));
  return w.spec && "replicas" in w.spec ? (w.spec.replicas ?? 1) : 1;
};

const rolledBackFrom = async (ctx: ActionContext, step: Step): Promise<string> =>
  (await readWorkload(ctx, workloadRef(step))).metadata?.annotations?.[ROLLED_BACK_FROM] ?? "";

/** Observers of actions whose effect is visible and atomic on the target. */
export const OBSERVERS: Readonly<Record<string, Observer>> = {
  // The template and the rolled-back-from annotation change in one JSON patch: a new
  // annotation value means the rollback happened, and names the revision to undo to.
  RolloutUndo: {
    before: async (ctx, step) => ({ rolledBackFrom: await rolledBackFrom(ctx, step) }),
    after: async (ctx, step, before) => {
      const now = await rolledBackFrom(ctx, step);
      return now && now !== before.rolledBackFrom ? { fromRevisionName: now } : undefined;
    },
  },
  // Replicas moved from what was observed to the step's value: the scale happened.
  ScaleWorkload: {
    before: async (ctx, step) => ({ replicas: await replicasOf(ctx, step) }),
    after: async (ctx, step, before) => {
      const now = await replicasOf(ctx, step);
      const want = Number(step.params?.replicas);
      return now === want && now !== before.replicas ? { replicas: before.replicas } : undefined;
    },
  },
};

/** What to do with a step found Running without a recorded result. */
export type Resolution =
  | { kind: "verify" }
  | { kind: "observe"; observer: Observer; before: Record<string, unknown> }
  | { kind: "rerun" }
  | { kind: "fail"; message: string };

/** Decides an interrupted step (pure): verify a recorded result, observe, re-run a safe action, or fail. */
export function resolveInterrupted(action: string, step: StepStatus): Resolution {
  if (step.executedAt) return { kind: "verify" };
  const before = step.undoState?.observedBefore as Record<string, unknown> | undefined;
  const observer = OBSERVERS[action];
  if (observer && before) return { kind: "observe", observer, before };
  if (RERUNNABLE_ACTIONS.has(action) && (step.attempt ?? 0) < MAX_ATTEMPTS) return { kind: "rerun" };
  return {
    kind: "fail",
    message: `interrupted; state unknown: the operator stopped while ${action} was executing; check the target by hand`,
  };
}
