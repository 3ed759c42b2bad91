import type { BlastRadius } from "../../agents/automation/action.ts";
import { noBlast } from "../../agents/automation/action.ts";
import { evaluatePolicy, mergePolicy } from "../../agents/automation/policy.ts";
import { raiseStepRisks } from "../../agents/automation/history-risk.ts";
import type { ActionRecord } from "../../agents/automation/history-risk.ts";
import type { AgentConfig, RemediationPlan, SreTask } from "../../crds/index.ts";
import { Reason, RemediationPlanPhase } from "../../crds/index.ts";
import type { Logger } from "../../logging/logger.ts";
import type { Result } from "../../runtime/index.ts";
import { formatTime } from "../../runtime/index.ts";
import { approvalMove, approvalVoid, specHash } from "./approval.ts";
import type { MoveDeps } from "./moves.ts";
import { policyContext, unionBlast } from "./policy-context.ts";
import {
  awaitingSince,
  recordApprovalVoid,
  recordAwaiting,
  recordDecision,
  recordPolicy,
  recordStart,
} from "./plan-status.ts";

/** What the phase handlers need besides the step moves. */
export interface PhaseDeps extends MoveDeps {
  /** The AgentConfig the plan uses: its namespace's, else the cluster policy. */
  agentConfig: AgentConfig | undefined;
  /** The cluster policy (AgentConfig `default` of the operator's namespace); it bounds agentConfig. */
  clusterPolicy: AgentConfig | undefined;
  log: Logger;
  others(): RemediationPlan[];
  task(name: string): SreTask | undefined;
  /** How the plan's actions fared on their targets lately (the incident store): a bad record raises a step's risk. */
  history?(plan: RemediationPlan): Promise<ActionRecord[]>;
}

const DEFERRED_RETRY_MS = 15_000;
const governing = (d: PhaseDeps) => ({ cluster: d.clusterPolicy, namespace: d.agentConfig });
const ttlOf = (d: PhaseDeps, plan: RemediationPlan) =>
  mergePolicy(plan.metadata.namespace ?? "", governing(d)).approvalTTLSeconds;

async function blastOf(d: PhaseDeps, plan: RemediationPlan): Promise<BlastRadius> {
  const parts = await Promise.all(
    plan.spec.steps.map(async (s) => {
      const action = d.catalog.get(s.action);
      // A target that cannot be read has no radius yet; its preconditions fail the step later.
      return action ? action.blastRadius(d.ctx, s).catch(() => noBlast()) : noBlast();
    }),
  );
  return unionBlast(parts);
}

/** Why a plan the policy allows waits for a person ("" when the policy does not allow it). */
function waitingReason(verdict: ReturnType<typeof evaluatePolicy>, mode: string | undefined): string {
  if (!verdict.allowed) return "";
  if (mode !== "Auto") return `the task's remediation mode is ${mode ?? "unset (a hand-written plan)"}`;
  return verdict.approvalReasons.map((r) => r.message).join("; ");
}

/** The steps with risks raised by their actions' records on their targets (a store error raises none). */
async function raisedByHistory(d: PhaseDeps, plan: RemediationPlan) {
  const records = await (d.history?.(plan) ?? Promise.resolve([])).catch((err: unknown) => {
    d.log.warn({ err }, "Failed to read the action history; risks stay as the catalog says");
    return [];
  });
  return raiseStepRisks(plan.spec.steps, records, new Date(d.now()));
}

/** Pending: policy verdict → Rejected, deferred (cooldown, concurrency), AwaitingApproval or auto-Approved. */
export async function evaluatePhase(d: PhaseDeps, plan: RemediationPlan): Promise<Result | void> {
  // Rejected before the policy ran: nothing to evaluate, and no auto-approval may override it.
  if (plan.spec.approval?.decision === "Rejected") return approvePhase(d, plan);
  const now = d.now();
  const raised = await raisedByHistory(d, plan);
  const verdict = evaluatePolicy(
    { ...plan, spec: { ...plan.spec, steps: raised.steps } },
    governing(d),
    policyContext(plan, d.others(), await blastOf(d, plan), now),
  );
  // Every step with a record shows it ("RolloutUndo on shop/checkout: 7 of 7 verified, last 3 days ago").
  const notes = [...raised.lines, ...raised.reasons];
  if (notes.length) verdict.notes = [...(verdict.notes ?? []), ...notes];
  const mode = plan.spec.taskRef ? d.task(plan.spec.taskRef.name)?.spec.remediation?.mode : undefined;
  const auto = verdict.allowed && !verdict.approvalRequired && mode === "Auto";
  const why = [waitingReason(verdict, mode), ...raised.reasons].filter(Boolean).join("; ");
  const { obj } = await d.write(plan, (s) => {
    recordPolicy(s, plan, verdict, now);
    if (!verdict.allowed) return;
    if (!auto) return recordAwaiting(s, plan, why, now);
    const approval = {
      decision: "Approved" as const,
      decidedBy: `policy:${plan.spec.agentConfigRef?.name ?? "default"}`,
      decidedAt: formatTime(now),
      via: "Policy" as const,
      expiresAt: formatTime(now + ttlOf(d, plan) * 1000),
      specHash: specHash(plan),
    };
    recordDecision(s, plan, approval, true, now);
  });
  const phase = obj.status?.phase ?? RemediationPlanPhase.Pending;
  await d.report(obj, -1, phase, obj.status?.message ?? phase, phase === RemediationPlanPhase.Rejected);
  if (phase === RemediationPlanPhase.Pending) return { requeueAfter: DEFERRED_RETRY_MS };
}

/** AwaitingApproval: record the decision of spec.approval (kubectl, REST or WeCom, admission-checked), or expire. */
export async function approvePhase(d: PhaseDeps, plan: RemediationPlan): Promise<Result | void> {
  const now = d.now();
  const move = approvalMove(plan, awaitingSince(plan, now), ttlOf(d, plan), now);
  if (move.kind === "wait") return { requeueAfter: Math.max(1000, move.untilMs - now) };
  const { obj } = await d.write(plan, (s) => {
    if (move.kind === "expired") recordApprovalVoid(s, plan, Reason.ApprovalExpired, move.message, now);
    else if (move.kind === "unattributed") recordApprovalVoid(s, plan, Reason.Rejected, move.message, now);
    else recordDecision(s, plan, move.approval, false, now);
  });
  const phase = obj.status?.phase ?? "";
  await d.report(obj, -1, phase, obj.status?.message ?? phase, phase === RemediationPlanPhase.Rejected);
}

/** Approved: start execution unless the approval no longer covers the spec or lapsed. */
export async function startPhase(d: PhaseDeps, plan: RemediationPlan): Promise<Result | void> {
  const now = d.now();
  const invalid = approvalVoid(plan, now);
  const { obj } = await d.write(plan, (s) => {
    if (invalid) recordApprovalVoid(s, plan, invalid.reason, invalid.message, now);
    else recordStart(s, plan, now);
  });
  const phase = obj.status?.phase ?? "";
  await d.report(obj, -1, phase, invalid ? invalid.message : "execution started", invalid !== undefined);
}
