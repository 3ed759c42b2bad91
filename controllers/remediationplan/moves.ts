import { ActionFailedError } from "../../agents/automation/action.ts";
import type { Action, ActionContext, Step } from "../../agents/automation/action.ts";
import type { ActionCatalog } from "../../agents/automation/catalog.ts";
import type { RemediationPlan, RemediationPlanStatus } from "../../crds/index.ts";
import { ConditionType, Reason, StepPhase } from "../../crds/index.ts";
import type { Result } from "../../runtime/index.ts";
import { formatTime } from "../../runtime/index.ts";
import { observeBefore, resolveInterrupted } from "./exactly-once.ts";
import { cond } from "./plan-status.ts";
import { patchStep, stepAt } from "./steps.ts";
import type { StepStatus } from "./steps.ts";

/** What the step moves need from the controller. */
export interface MoveDeps {
  catalog: ActionCatalog;
  ctx: ActionContext;
  /** One status write guarded by resourceVersion; written=false when mutate changed nothing. */
  write(
    plan: RemediationPlan,
    mutate: (s: RemediationPlanStatus, current: RemediationPlan) => void,
  ): Promise<{ obj: RemediationPlan; written: boolean }>;
  /** Event + log line + audit row for step i reaching phase. */
  report(plan: RemediationPlan, i: number, phase: string, message: string, warning?: boolean): Promise<void>;
  now(): number;
}

const VERIFY_POLL_MS = 2000;
const errText = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Writes step i only if it is still in phase `from` (and attempt `attempt`): a stale reader writes nothing. */
async function writeStep(
  d: MoveDeps,
  plan: RemediationPlan,
  i: number,
  from: { phase: string; attempt?: number },
  mutate: (step: StepStatus, s: RemediationPlanStatus, current: RemediationPlan) => void,
): Promise<{ obj: RemediationPlan; written: boolean }> {
  return d.write(plan, (s, current) => {
    const now = stepAt(current, i);
    if (now.phase !== from.phase) return;
    if (from.attempt !== undefined && (now.attempt ?? 0) !== from.attempt) return;
    patchStep(s, current, i, (st) => mutate(st, s, current));
  });
}

async function failStep(
  d: MoveDeps,
  plan: RemediationPlan,
  i: number,
  from: string,
  failure: { message: string; condType?: string },
) {
  const { message, condType } = failure;
  await writeStep(d, plan, i, { phase: from }, (st, s, current) => {
    st.phase = StepPhase.Failed;
    st.message = message.slice(0, 1024);
    st.finishedAt = formatTime(d.now());
    if (condType === ConditionType.DryRunPassed)
      cond(
        s,
        current,
        {
          type: condType,
          status: "False",
          reason: Reason.DryRunFailed,
          message: `step ${st.name}: ${message}`,
        },
        d.now(),
      );
    if (condType === ConditionType.Verified)
      cond(
        s,
        current,
        {
          type: condType,
          status: "False",
          reason: Reason.VerificationFailed,
          message: `step ${st.name}: ${message}`,
        },
        d.now(),
      );
  });
  await d.report(plan, i, StepPhase.Failed, message, true);
}

function actionOf(d: MoveDeps, plan: RemediationPlan, i: number): { action?: Action; step: Step } {
  const step = plan.spec.steps[i]!;
  return { action: d.catalog.get(step.action), step };
}

/** Pending → preconditions → server-side dry run → DryRun (or Failed before any mutation of this step). */
export async function prepare(d: MoveDeps, plan: RemediationPlan, i: number): Promise<void> {
  const { action, step } = actionOf(d, plan, i);
  if (!action)
    return failStep(d, plan, i, StepPhase.Pending, { message: `${step.action} is not a catalog action` });
  if (!action.automatic) {
    // RunbookOnly: a person acts; the plan records the step and executes nothing.
    await writeStep(d, plan, i, { phase: StepPhase.Pending }, (st) => {
      st.phase = StepPhase.Succeeded;
      st.message = "manual step: follow the runbook; nothing was executed";
      st.finishedAt = formatTime(d.now());
    });
    return d.report(plan, i, StepPhase.Succeeded, "manual step recorded");
  }
  const problems = await action.preconditions(d.ctx, step);
  if (problems.length > 0)
    return failStep(d, plan, i, StepPhase.Pending, {
      message: `precondition: ${problems.join("; ")}`,
      condType: ConditionType.DryRunPassed,
    });
  const dry = await action.dryRun(d.ctx, step);
  if (!dry.passed)
    return failStep(d, plan, i, StepPhase.Pending, {
      message: `dry run: ${dry.message}`,
      condType: ConditionType.DryRunPassed,
    });
  const { obj } = await writeStep(d, plan, i, { phase: StepPhase.Pending }, (st, s, current) => {
    st.phase = StepPhase.DryRun;
    st.dryRun = { passed: true, message: dry.message.slice(0, 1024) };
    st.affected = [step.target];
    st.message = "dry run passed";
    cond(
      s,
      current,
      {
        type: ConditionType.DryRunPassed,
        status: "True",
        reason: Reason.DryRunPassed,
        message: `step ${st.name}: ${dry.message}`,
      },
      d.now(),
    );
  });
  // The written plan: its audit row carries the dry run result just recorded.
  await d.report(obj, i, StepPhase.DryRun, dry.message);
}

/**
 * DryRun (or an interrupted Running) → fence → execute → Verifying. The fence write (phase
 * Running, attempt+1) must succeed against the resourceVersion this decision was made on;
 * otherwise another reader already moved the step and execute is not called.
 */
export async function execute(d: MoveDeps, plan: RemediationPlan, i: number): Promise<void> {
  const { action, step } = actionOf(d, plan, i);
  if (!action) return;
  const observedBefore = await observeBefore(action, d.ctx, step);
  const current = stepAt(plan, i);
  const from = { phase: current.phase, attempt: current.attempt ?? 0 };
  const fence = await writeStep(d, plan, i, from, (st) => {
    st.phase = StepPhase.Running;
    st.attempt = from.attempt + 1;
    st.startedAt = formatTime(d.now());
    st.message = `executing (attempt ${from.attempt + 1})`;
    delete st.executedAt;
    if (observedBefore) st.undoState = { observedBefore };
    else delete st.undoState;
  });
  if (!fence.written) return;
  await d.report(fence.obj, i, StepPhase.Running, `executing ${step.action} (attempt ${from.attempt + 1})`);
  const running = { phase: StepPhase.Running, attempt: from.attempt + 1 };
  try {
    const res = await action.execute(d.ctx, step);
    await writeStep(d, fence.obj, i, running, (st) => {
      st.phase = StepPhase.Verifying;
      st.executedAt = formatTime(d.now());
      st.undoState = res.undoState;
      st.message = res.message.slice(0, 1024);
    });
    await d.report(fence.obj, i, StepPhase.Verifying, res.message);
  } catch (err) {
    const undoState = err instanceof ActionFailedError ? err.undoState : undefined;
    await writeStep(d, fence.obj, i, running, (st) => {
      st.phase = StepPhase.Failed;
      st.finishedAt = formatTime(d.now());
      st.message = `execute failed: ${errText(err)}`.slice(0, 1024);
      // A partial change (a cordon left by a blocked drain) is recorded so undo still restores it.
      if (undoState) {
        st.undoState = undoState;
        st.executedAt = st.finishedAt;
      } else delete st.undoState;
    });
    await d.report(fence.obj, i, StepPhase.Failed, `execute failed: ${errText(err)}`, true);
  }
}

/** Verifying → poll verify → Succeeded / Failed, or requeue until spec.verification.timeoutSeconds. */
export async function verify(d: MoveDeps, plan: RemediationPlan, i: number): Promise<Result | void> {
  const { action, step } = actionOf(d, plan, i);
  const s = stepAt(plan, i);
  if (!action) return;
  const res = await action.verify(d.ctx, step, s.undoState ?? {});
  const timeoutMs = (plan.spec.verification?.timeoutSeconds ?? 300) * 1000;
  const since = Date.parse(s.executedAt ?? s.startedAt ?? "") || d.now();
  const from = { phase: s.phase };
  if (!res.done && d.now() - since < timeoutMs) {
    await writeStep(d, plan, i, from, (st) => {
      st.phase = StepPhase.Verifying;
      st.message = res.message.slice(0, 1024);
    });
    return { requeueAfter: VERIFY_POLL_MS };
  }
  if (res.done && res.ok) {
    await writeStep(d, plan, i, from, (st) => {
      st.phase = StepPhase.Succeeded;
      st.finishedAt = formatTime(d.now());
      st.message = res.message.slice(0, 1024);
    });
    return d.report(plan, i, StepPhase.Succeeded, res.message);
  }
  const why = res.done ? res.message : `verification timed out after ${timeoutMs / 1000}s: ${res.message}`;
  await failStep(d, plan, i, s.phase, { message: why, condType: ConditionType.Verified });
}

/** A step found Running without a recorded result: resolve it, never execute it blindly. */
export async function interrupted(d: MoveDeps, plan: RemediationPlan, i: number): Promise<Result | void> {
  const { step } = actionOf(d, plan, i);
  const s = stepAt(plan, i);
  const r = resolveInterrupted(d.catalog, step.action, s);
  if (r.kind === "verify") return verify(d, plan, i);
  if (r.kind === "fail") return failStep(d, plan, i, StepPhase.Running, { message: r.message });
  if (r.kind === "rerun") return execute(d, plan, i);
  const undoState = await r.observer.after(d.ctx, step, r.before);
  if (!undoState) return execute(d, plan, i); // it never ran: fence again and execute
  const message = "resolved after an interruption: the target shows execute ran";
  await writeStep(d, plan, i, { phase: StepPhase.Running, attempt: s.attempt ?? 0 }, (st) => {
    st.phase = StepPhase.Verifying;
    st.executedAt = formatTime(d.now());
    st.undoState = undoState;
    st.message = message;
  });
  await d.report(plan, i, StepPhase.Verifying, message);
}

/** Undoes an executed step (newest first); an undo that fails ends the plan Failed/UndoFailed. */
export async function undo(d: MoveDeps, plan: RemediationPlan, i: number): Promise<string | undefined> {
  const { action, step } = actionOf(d, plan, i);
  const s = stepAt(plan, i);
  try {
    const res = await action!.undo(d.ctx, step, s.undoState ?? {});
    await writeStep(d, plan, i, { phase: s.phase }, (st) => {
      st.phase = StepPhase.Undone;
      st.message = `${st.message ?? ""}; undone: ${res.message}`.slice(0, 1024);
      st.finishedAt = formatTime(d.now());
    });
    await d.report(plan, i, StepPhase.Undone, res.message, true);
    return undefined;
  } catch (err) {
    return `undo of step ${step.name} failed: ${errText(err)}`;
  }
}
