/**
 * Plan decisions from WeCom. Only the WeCom user ids listed in the plan's AgentConfig
 * (spec.policy.approvers) may decide, and the approver is the FromUserName of the verified,
 * decrypted message: never a name written inside the message text. The decision is then made as
 * the Kubernetes identity cluster policy maps that user to (AgentConfig spec.policy.chatIdentities
 * in the operator's namespace), so RBAC's verb approve has the last word; unmapped users cannot.
 */
import type { Logger } from "./log.ts";
import { RemediationPlanPhase } from "../../crds/index.ts";
import type { RemediationPlan } from "../../crds/index.ts";
import type { PlanDecision, SreGateway } from "../gateway.ts";
import type { NameRef } from "./commands.ts";
import type { Strings } from "../../notify/wecom/strings.ts";

/**
 * The WeCom approvers of an AgentConfig: its spec.policy.approvers, an empty list when it has
 * none, undefined when the AgentConfig does not exist. Throws when it cannot be read.
 */
export type ApproverSource = (
  namespace: string,
  agentConfigName: string,
) => Promise<readonly string[] | undefined>;

/** A fixed approver list for every AgentConfig (tests, or a deployment without AgentConfig reads). */
export function staticApprovers(approvers: readonly string[]): ApproverSource {
  return () => Promise.resolve(approvers);
}

/** What a decision needs. */
export interface DecisionContext {
  gateway: SreGateway;
  approvers: ApproverSource;
  /** The namespace of "approve <plan>" without a namespace. */
  namespace: string;
  logger: Logger;
  text: Strings;
}

// A decision is only taken on a plan that waits for one; reject also stops a plan still pending.
const DECIDABLE: Record<PlanDecision, ReadonlySet<string>> = {
  Approved: new Set([RemediationPlanPhase.AwaitingApproval]),
  Rejected: new Set([RemediationPlanPhase.Pending, RemediationPlanPhase.AwaitingApproval]),
};

/** Whether userId may decide on the plan: listed in its AgentConfig; false when unknown. */
async function isApprover(
  ctx: DecisionContext,
  plan: RemediationPlan,
  userId: string,
): Promise<boolean | "unknown"> {
  const namespace = plan.metadata.namespace ?? ctx.namespace;
  const configName = plan.spec.agentConfigRef?.name ?? "default";
  try {
    const approvers = await ctx.approvers(namespace, configName);
    return approvers?.includes(userId) ?? false;
  } catch (err) {
    ctx.logger.error(
      { namespace, agentConfig: configName, error: (err as Error).message },
      "Failed to read approvers",
    );
    return "unknown";
  }
}

/** Decides on a plan for a verified WeCom user and returns the reply text; gateway errors propagate. */
export async function decidePlan(
  ctx: DecisionContext,
  ref: NameRef,
  decision: PlanDecision,
  userId: string,
): Promise<string> {
  const namespace = ref.namespace ?? ctx.namespace;
  const planRef = `${namespace}/${ref.name}`;
  const plan = await ctx.gateway.getPlan(namespace, ref.name);
  if (!plan) return ctx.text.planNotFound(planRef);
  const allowed = await isApprover(ctx, plan, userId);
  if (allowed === "unknown") return ctx.text.approversUnknown(planRef);
  if (!allowed) {
    ctx.logger.warn(
      { user: userId, plan: planRef, decision },
      "Refused a WeCom plan decision from a non-approver",
    );
    return ctx.text.notApprover(planRef);
  }
  // Repeating the decision already recorded is answered as success: chat users resend.
  if (plan.status?.approval?.decision === decision) return ctx.text.planDecided(planRef, decision);
  const phase = plan.status?.phase ?? RemediationPlanPhase.Pending;
  if (!DECIDABLE[decision].has(phase)) return ctx.text.planNotAwaiting(planRef, phase);
  // Made as the Kubernetes identity cluster policy maps userId to: RBAC (verb approve) decides.
  await ctx.gateway.decidePlan(namespace, ref.name, decision, { via: "WeCom", wecomUserId: userId });
  ctx.logger.info({ user: userId, plan: planRef, decision }, "Recorded a WeCom plan decision");
  return ctx.text.planDecided(planRef, decision);
}
