/**
 * Plan-level verification (spec.verification.promql): after every step verified itself,
 * the PromQL check is polled until it returns a non-empty result (the plan Succeeded) or
 * timeoutSeconds pass since the last step finished (Verified=False: the plan unwinds like a
 * failed step verification). The clock starts at the steps' finishedAt, so a restarted
 * operator resumes the same wait from status and never re-runs a step.
 */
import type { VerifyResult } from "../../agents/automation/action.ts";
import type { PromQuery } from "../../agents/automation/promql.ts";
import { verifyPromQL } from "../../agents/automation/promql.ts";
import type { RemediationPlan, RemediationPlanStatus } from "../../crds/index.ts";
import { ConditionType, Reason, RemediationPlanPhase, StepPhase } from "../../crds/index.ts";
import type { Result } from "../../runtime/index.ts";
import { findCondition, formatTime } from "../../runtime/index.ts";
import type { MoveDeps } from "./moves.ts";
import { cond, finish } from "./plan-status.ts";
import { stepAt } from "./steps.ts";

/** What the plan-level check needs besides the step moves: the AgentConfig's Prometheus, if any. */
export interface PlanVerifyDeps extends MoveDeps {
  prometheus: PromQuery | undefined;
}

/** One poll's verdict: wait (poll again), pass (the plan Succeeded) or fail (Verified=False). */
export type PlanCheck =
  | { kind: "wait"; message: string; requeueAfterMs: number }
  | { kind: "pass"; message: string }
  | { kind: "fail"; message: string };

/** How often an unanswered PromQL check is polled (less often near the timeout only). */
export const PLAN_VERIFY_POLL_MS = 5000;
const DEFAULT_TIMEOUT_SECONDS = 300;

/** When plan-level verification started: the latest step finishedAt, else now. */
export function verificationSince(plan: RemediationPlan, now: number): number {
  const times = plan.spec.steps
    .map((_, i) => Date.parse(stepAt(plan, i).finishedAt ?? ""))
    .filter((t) => !Number.isNaN(t));
  return times.length > 0 ? Math.max(...times) : now;
}

/** Decides one poll of the plan's PromQL check from its result and the time since the last step finished. */
export function decidePlanCheck(plan: RemediationPlan, res: VerifyResult, now: number): PlanCheck {
  const expr = plan.spec.verification?.promql ?? "";
  const timeoutMs = (plan.spec.verification?.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS) * 1000;
  const detail = res.message.replace(/^PromQL check /, "");
  const check = `PromQL check \`${expr}\``;
  if (res.done && res.ok) return { kind: "pass", message: `${check} passed: ${detail}` };
  if (res.done) return { kind: "fail", message: `${check} failed: ${detail}` };
  const left = verificationSince(plan, now) + timeoutMs - now;
  if (left <= 0) return { kind: "fail", message: `${check} timed out after ${timeoutMs / 1000}s: ${detail}` };
  return {
    kind: "wait",
    message: `waiting for the ${check} (timeout ${timeoutMs / 1000}s): ${detail}`,
    requeueAfterMs: Math.max(1000, Math.min(PLAN_VERIFY_POLL_MS, left)),
  };
}

/** True while status still awaits the plan-level check: Running, every step Succeeded, no verdict yet. */
function awaitingCheck(current: RemediationPlan): boolean {
  if (current.status?.phase !== RemediationPlanPhase.Running) return false;
  if (!current.spec.steps.every((_, i) => stepAt(current, i).phase === StepPhase.Succeeded)) return false;
  const verified = findCondition(current.status.conditions, ConditionType.Verified)?.status;
  return verified !== "True" && verified !== "False";
}

/** The check's latest answer in status.verification; checkedAt moves only when the answer changes. */
function record(s: RemediationPlanStatus, passed: boolean, message: string, now: number): void {
  const v = s.verification;
  if (v && v.passed === passed && v.message === message) return;
  s.verification = { passed, message: message.slice(0, 1024), checkedAt: formatTime(now) };
}

/** Every step Succeeded: polls the PromQL check once → Succeeded, Verified=False, or requeue. */
export async function verifyPlan(d: PlanVerifyDeps, plan: RemediationPlan): Promise<Result | void> {
  const expr = plan.spec.verification?.promql ?? "";
  const res = await verifyPromQL(d.prometheus, expr);
  const now = d.now();
  const check = decidePlanCheck(plan, res, now);
  const started = findCondition(plan.status?.conditions, ConditionType.Verified)?.reason;
  if (check.kind === "wait") {
    await d.write(plan, (s, current) => {
      if (!awaitingCheck(current)) return;
      record(s, false, check.message, now);
      s.message = check.message.slice(0, 1024);
      const c = { type: ConditionType.Verified, status: "Unknown" as const, reason: Reason.VerifyingPromQL };
      cond(s, current, { ...c, message: check.message }, now);
    });
    // One Event when polling starts; a restarted operator finds the condition and stays quiet.
    if (started !== Reason.VerifyingPromQL)
      await d.report(plan, -1, Reason.VerifyingPromQL, `every step verified; started ${check.message}`);
    return { requeueAfter: check.requeueAfterMs };
  }
  const passed = check.kind === "pass";
  const { obj, written } = await d.write(plan, (s, current) => {
    if (!awaitingCheck(current)) return;
    record(s, passed, check.message, now);
    const c = passed
      ? { type: ConditionType.Verified, status: "True" as const, reason: Reason.Verified }
      : { type: ConditionType.Verified, status: "False" as const, reason: Reason.VerificationFailed };
    cond(s, current, { ...c, message: check.message }, now);
    if (!passed) return; // the next reconcile unwinds (steps.ts nextMove)
    const n = current.spec.steps.length;
    const message = `all ${n} steps executed and verified; ${check.message}`;
    finish(s, current, { phase: RemediationPlanPhase.Succeeded, reason: Reason.Succeeded, message }, now);
  });
  if (!written) return;
  if (passed) return d.report(obj, -1, RemediationPlanPhase.Succeeded, obj.status?.message ?? check.message);
  await d.report(obj, -1, Reason.VerificationFailed, check.message, true);
}
