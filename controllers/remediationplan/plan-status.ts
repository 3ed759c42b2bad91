import type { PolicyVerdict } from "../../agents/automation/policy.ts";
import type { RemediationPlan, RemediationPlanStatus } from "../../crds/index.ts";
import { ConditionType, Reason, RemediationPlanPhase, StepPhase } from "../../crds/index.ts";
import { findCondition, formatTime, setCondition } from "../../runtime/index.ts";

type Status = RemediationPlanStatus;
type CondStatus = "True" | "False" | "Unknown";

const MAX_LINE = 512;
const clip = (s: string, n = 1024) => (s.length > n ? `${s.slice(0, n - 3)}...` : s);

/** Sets one condition of the plan's current generation. */
export function cond(
  s: Status,
  plan: RemediationPlan,
  c: { type: string; status: CondStatus; reason: string; message: string },
  now: number,
): void {
  const { type, status, reason, message } = c;
  const observedGeneration = plan.metadata.generation;
  s.conditions = setCondition(
    s.conditions,
    { type, status, reason, message: clip(message), observedGeneration },
    now,
  );
}

/** Final phases: nothing more happens to the plan. */
export const FINAL_PHASES: readonly string[] = [
  RemediationPlanPhase.Rejected,
  RemediationPlanPhase.Succeeded,
  RemediationPlanPhase.Failed,
  RemediationPlanPhase.RolledBack,
];

/** Ends the plan in a final phase with a reason: Ready=False (or True on success), completionTime. */
export function finish(
  s: Status,
  plan: RemediationPlan,
  end: { phase: string; reason: string; message: string },
  now: number,
): void {
  const { phase, reason, message } = end;
  s.phase = phase as Status["phase"];
  s.message = clip(message);
  s.completionTime ??= formatTime(now);
  s.observedGeneration = plan.metadata.generation;
  const ok = phase === RemediationPlanPhase.Succeeded;
  cond(s, plan, { type: ConditionType.Ready, status: ok ? "True" : "False", reason, message }, now);
}

/** Records the policy verdict; a violation that is not retryable rejects the plan. */
export function recordPolicy(s: Status, plan: RemediationPlan, verdict: PolicyVerdict, now: number): void {
  s.risk = verdict.risk;
  s.policy = {
    allowed: verdict.allowed,
    ...(verdict.violations.length
      ? { violations: verdict.violations.slice(0, 20).map((v) => clip(`${v.rule}: ${v.message}`, MAX_LINE)) }
      : {}),
  };
  s.observedGeneration = plan.metadata.generation;
  // Ignored cluster-only fields of the namespace's AgentConfig are said, so nobody relies on them.
  const notes = (verdict.notes ?? []).map((n) => `; ${n}`).join("");
  if (verdict.allowed) {
    cond(
      s,
      plan,
      {
        type: ConditionType.PolicyAllowed,
        status: "True",
        reason: Reason.PolicyAllowed,
        message: `policy allows every step${notes}`,
      },
      now,
    );
    return;
  }
  const first = verdict.violations[0]!;
  const reason = verdict.violations.every((v) => v.retryable)
    ? first.rule === "CooldownActive"
      ? Reason.CooldownActive
      : Reason.ConcurrencyLimited
    : Reason.PolicyDenied;
  const message = verdict.violations.map((v) => `${v.rule}: ${v.message}`).join("; ");
  cond(
    s,
    plan,
    { type: ConditionType.PolicyAllowed, status: "False", reason, message: message + notes },
    now,
  );
  if (reason === Reason.PolicyDenied)
    finish(s, plan, { phase: RemediationPlanPhase.Rejected, reason, message }, now);
  else {
    s.phase = RemediationPlanPhase.Pending;
    s.message = clip(`deferred: ${message}`);
  }
}

/** Moves an allowed plan to AwaitingApproval; the wait starts now (the Approved condition's time). */
export function recordAwaiting(s: Status, plan: RemediationPlan, why: string, now: number): void {
  s.phase = RemediationPlanPhase.AwaitingApproval;
  s.message = clip(`waiting for approval: ${why}`);
  cond(
    s,
    plan,
    { type: ConditionType.Approved, status: "False", reason: Reason.AwaitingApproval, message: why },
    now,
  );
  cond(
    s,
    plan,
    {
      type: ConditionType.Ready,
      status: "False",
      reason: Reason.AwaitingApproval,
      message: "waiting for approval",
    },
    now,
  );
}

/** When the plan started waiting for approval (the Approved=False/AwaitingApproval transition). */
export function awaitingSince(plan: RemediationPlan, now: number): number {
  const c = findCondition(plan.status?.conditions, ConditionType.Approved);
  const at = c?.reason === Reason.AwaitingApproval ? Date.parse(c.lastTransitionTime ?? "") : NaN;
  return Number.isNaN(at) ? now : at;
}

/** Records a decision: Approved moves on, Rejected ends the plan. */
export function recordDecision(
  s: Status,
  plan: RemediationPlan,
  approval: NonNullable<Status["approval"]>,
  auto: boolean,
  now: number,
): void {
  s.approval = approval;
  const who = `${approval.decidedBy} via ${approval.via}`;
  if (approval.decision === "Rejected") {
    cond(
      s,
      plan,
      {
        type: ConditionType.Approved,
        status: "False",
        reason: Reason.Rejected,
        message: `rejected by ${who}`,
      },
      now,
    );
    finish(
      s,
      plan,
      { phase: RemediationPlanPhase.Rejected, reason: Reason.Rejected, message: `rejected by ${who}` },
      now,
    );
    return;
  }
  const reason = auto ? Reason.AutoApproved : Reason.Approved;
  s.phase = RemediationPlanPhase.Approved;
  s.message = `approved by ${who}`;
  cond(
    s,
    plan,
    { type: ConditionType.Approved, status: "True", reason: reason, message: `approved by ${who}` },
    now,
  );
}

/** Ends a plan whose approval never came, lapsed, or no longer covers the spec. */
export function recordApprovalVoid(
  s: Status,
  plan: RemediationPlan,
  reason: string,
  message: string,
  now: number,
): void {
  cond(s, plan, { type: ConditionType.Approved, status: "False", reason, message }, now);
  finish(s, plan, { phase: RemediationPlanPhase.Rejected, reason, message }, now);
}

/** Starts execution: every step Pending, startTime set. */
export function recordStart(s: Status, plan: RemediationPlan, now: number): void {
  s.phase = RemediationPlanPhase.Running;
  s.startTime ??= formatTime(now);
  s.message = "executing";
  s.steps ??= plan.spec.steps.map((st) => ({ name: st.name, phase: StepPhase.Pending }));
  s.progress = `0/${plan.spec.steps.length}`;
  cond(
    s,
    plan,
    {
      type: ConditionType.Ready,
      status: "False",
      reason: Reason.Remediating,
      message: "executing the steps",
    },
    now,
  );
}
