/**
 * The automation policy, as a pure function of the plan, the governing AgentConfigs (the
 * cluster policy bounds, the namespace's narrows: policy-merge.ts) and what is going on (no
 * I/O). Missing configs or fields fall back to the safe defaults: every plan needs approval,
 * no auto-remediation, a plan changes its own namespace only, kube-system never unless listed
 * by name, no Node or EC2 action unless the cluster policy grants it, EC2 off without an allow tag.
 */
import { ACTION_RISKS, isActionName } from "../../crds/actions.ts";
import type { Risk } from "../../crds/actions.ts";
import { actionFitsKind } from "../../crds/action-targets.ts";
import type { ObjectReference } from "../../crds/common.ts";
import type { BlastRadius } from "./action.ts";
import { actionEnabled, mergePolicy, namespaceAllowed } from "./policy-merge.ts";
import type { EffectivePolicy, GoverningConfigs } from "./policy-merge.ts";

export { POLICY_DEFAULTS, mergePolicy, namespaceAllowed } from "./policy-merge.ts";
export type { EffectivePolicy, GoverningConfigs, PolicyConfig } from "./policy-merge.ts";

/** Stable rule names: violations (plan Rejected or deferred) and approval reasons. */
export const POLICY_RULES = {
  AutomationDisabled: "AutomationDisabled",
  ActionNotEnabled: "ActionNotEnabled",
  TargetKindMismatch: "TargetKindMismatch",
  NamespaceNotAllowed: "NamespaceNotAllowed",
  ClusterScopeNotAllowed: "ClusterScopeNotAllowed",
  Ec2NotConfigured: "Ec2NotConfigured",
  TooManyPodsAffected: "TooManyPodsAffected",
  TooManyInstancesAffected: "TooManyInstancesAffected",
  CooldownActive: "CooldownActive",
  TooManyConcurrentPlans: "TooManyConcurrentPlans",
  AutoRemediationDisabled: "AutoRemediationDisabled",
  RiskRequiresApproval: "RiskRequiresApproval",
  HighRiskRequiresApproval: "HighRiskRequiresApproval",
} as const;
export type PolicyRuleName = (typeof POLICY_RULES)[keyof typeof POLICY_RULES];

/** One broken rule. retryable: the plan may pass later unchanged (cooldown, concurrency). */
export interface PolicyViolation {
  rule: PolicyRuleName;
  message: string;
  retryable: boolean;
}

/** The plan as policy sees it. */
export interface PolicyPlan {
  metadata?: { namespace?: string };
  spec: { steps: { name: string; action: string; target: ObjectReference; risk?: Risk }[] };
}

/** What is going on around the plan. */
export interface PolicyContext {
  now: number;
  /** Plans running now under the same AgentConfig, this one excluded. */
  activePlans: number;
  /** Targets other plans acted on, and when (ms). */
  recentTargets: { target: ObjectReference; at: number }[];
  /** The union of the steps' blast radii (pods as "namespace/name"). */
  blastRadius: BlastRadius;
}

/** The verdict. */
export interface PolicyVerdict {
  allowed: boolean;
  violations: PolicyViolation[];
  approvalRequired: boolean;
  approvalReasons: PolicyViolation[];
  /** The highest risk of any step. */
  risk: Risk;
  /** What was ignored (cluster-only fields of a namespace's AgentConfig), for the plan's status. */
  notes?: string[];
}

const RANK: Record<Risk, number> = { low: 0, medium: 1, high: 2 };
const maxRisk = (a: Risk, b: Risk): Risk => (RANK[b] > RANK[a] ? b : a);
const v = (rule: PolicyRuleName, message: string, retryable = false): PolicyViolation => ({
  rule,
  message,
  retryable,
});
const show = (t: ObjectReference) => `${t.kind} ${t.namespace ? `${t.namespace}/` : ""}${t.name}`;

/** The highest of every step's risk and its action's catalog risk. */
export function planRisk(plan: PolicyPlan): Risk {
  let risk: Risk = "low";
  for (const s of plan.spec.steps) {
    if (isActionName(s.action)) risk = maxRisk(risk, ACTION_RISKS[s.action]);
    if (s.risk) risk = maxRisk(risk, s.risk);
  }
  return risk;
}

type PlanStep = PolicyPlan["spec"]["steps"][number];

/** Kinds with no namespace: only actions the cluster policy grants may change them. */
const CLUSTER_SCOPED_KINDS: readonly string[] = ["Node", "Ec2Instance"];

/** Whether the step's action is a catalog action, enabled by both policies, fitting its target, and configured. */
function actionViolations(s: PlanStep, p: EffectivePolicy): PolicyViolation[] {
  const where = `step ${s.name}`;
  if (!isActionName(s.action))
    return [v(POLICY_RULES.ActionNotEnabled, `${where}: ${s.action} is not a catalog action`)];
  const enabled = actionEnabled(p, s.action);
  if (enabled === "namespace")
    return [
      v(
        POLICY_RULES.ActionNotEnabled,
        `${where}: ${s.action} is not in policy.enabledActions${p.namespaceSource ? ` of ${p.namespaceSource}` : ""}`,
      ),
    ];
  // A Node or EC2 action the cluster does not grant: scopeViolations says so (ClusterScopeNotAllowed).
  if (enabled === "cluster" && CLUSTER_SCOPED_KINDS.includes(s.target.kind)) return [];
  if (enabled === "cluster")
    return [
      v(
        POLICY_RULES.ActionNotEnabled,
        `${where}: ${s.action} is not in policy.enabledActions of ${p.clusterSource}`,
      ),
    ];
  if (!actionFitsKind(s.action, s.target.kind))
    return [v(POLICY_RULES.TargetKindMismatch, `${where}: ${s.action} cannot act on ${s.target.kind}`)];
  if (s.action.startsWith("Ec2") && !p.ec2Configured)
    return [v(POLICY_RULES.Ec2NotConfigured, `${where}: EC2 actions need tools.aws.allowTag`)];
  return [];
}

/** Why plans of home may not change home, or undefined when they may. */
function homeRefusal(p: EffectivePolicy): string | undefined {
  if (!p.homeByCluster) return `namespace ${p.home} is not in policy.allowedNamespaces of ${p.clusterSource}`;
  if (p.narrowing && !namespaceAllowed(p.home, p.narrowing))
    return `namespace ${p.home} is not in policy.allowedNamespaces of ${p.namespaceSource ?? "its AgentConfig"}`;
  return undefined;
}

/** Whether the step's target lies where the plan may act: its own namespace, or a granted cluster-scoped target. */
function scopeViolations(s: PlanStep, p: EffectivePolicy): PolicyViolation[] {
  const where = `step ${s.name}`;
  const ns = s.target.namespace;
  if (ns && ns !== p.home)
    return [
      v(
        POLICY_RULES.NamespaceNotAllowed,
        `${where}: ${show(s.target)} is in namespace ${ns}; a plan in ${p.home} may change only ${p.home}`,
      ),
    ];
  if (ns) {
    const refusal = homeRefusal(p);
    return refusal ? [v(POLICY_RULES.NamespaceNotAllowed, `${where}: ${refusal}`)] : [];
  }
  // RunbookOnly executes nothing: a person follows the runbook.
  if (s.action === "RunbookOnly") return [];
  if (!CLUSTER_SCOPED_KINDS.includes(s.target.kind))
    return [v(POLICY_RULES.NamespaceNotAllowed, `${where}: ${show(s.target)} names no namespace`)];
  if (p.grants.has(s.action)) return [];
  return [
    v(
      POLICY_RULES.ClusterScopeNotAllowed,
      `${where}: ${s.action} on ${show(s.target)} is cluster-scoped; ${p.clusterSource} grants it to no plan ` +
        `of namespace ${p.home} (policy.clusterGrants)`,
    ),
  ];
}

/** Why pods of ns may not be disrupted by this plan, or undefined when they may. */
function podRefusal(ns: string, plan: PolicyPlan, p: EffectivePolicy): string | undefined {
  if (ns === p.home) return homeRefusal(p);
  const granted = plan.spec.steps.flatMap((s) => p.grants.get(s.action) ?? []);
  if (!namespaceAllowed(ns, granted))
    return `${p.clusterSource} grants plans of ${p.home} no disruption there (policy.clusterGrants podNamespaces)`;
  if (p.narrowing && !namespaceAllowed(ns, p.narrowing))
    return `it is not in policy.allowedNamespaces of ${p.namespaceSource ?? "the plan's AgentConfig"}`;
  return undefined;
}

/** The blast radius: every pod counts, whatever its namespace, and each namespace must be allowed. */
function blastViolations(plan: PolicyPlan, p: EffectivePolicy, ctx: PolicyContext): PolicyViolation[] {
  const out: PolicyViolation[] = [];
  const pods = new Set(ctx.blastRadius.pods);
  const instances = new Set(ctx.blastRadius.instances);
  if (pods.size > p.maxAffectedPods)
    out.push(
      v(
        POLICY_RULES.TooManyPodsAffected,
        `the plan affects ${pods.size} pods; policy allows ${p.maxAffectedPods}`,
      ),
    );
  if (instances.size > p.maxAffectedInstances)
    out.push(
      v(
        POLICY_RULES.TooManyInstancesAffected,
        `the plan affects ${instances.size} EC2 instances; policy allows ${p.maxAffectedInstances}`,
      ),
    );
  // Pods a node drain would evict count too: draining must not reach into namespaces not granted.
  const podNamespaces = new Set([...pods].map((x) => x.split("/")[0] ?? ""));
  for (const ns of [...podNamespaces].sort()) {
    const why = ns ? podRefusal(ns, plan, p) : undefined;
    if (why)
      out.push(v(POLICY_RULES.NamespaceNotAllowed, `the plan disrupts pods in namespace ${ns}: ${why}`));
  }
  return out;
}

const sameTarget = (a: ObjectReference, b: ObjectReference) =>
  a.kind === b.kind && a.name === b.name && (a.namespace ?? "") === (b.namespace ?? "");

function timingViolations(plan: PolicyPlan, p: EffectivePolicy, ctx: PolicyContext) {
  const out: PolicyViolation[] = [];
  const cooldownMs = p.cooldownSeconds * 1000;
  for (const s of plan.spec.steps) {
    const last = ctx.recentTargets
      .filter((r) => sameTarget(r.target, s.target))
      .reduce((m, r) => Math.max(m, r.at), -Infinity);
    const left = Math.ceil((last + cooldownMs - ctx.now) / 1000);
    if (left > 0)
      out.push(
        v(
          POLICY_RULES.CooldownActive,
          `${show(s.target)} was changed by another plan; cooldown ends in ${left}s`,
          true,
        ),
      );
  }
  if (ctx.activePlans >= p.maxConcurrentPlans)
    out.push(
      v(
        POLICY_RULES.TooManyConcurrentPlans,
        `${ctx.activePlans} plans already running; policy allows ${p.maxConcurrentPlans}`,
        true,
      ),
    );
  return out;
}

function approvalReasons(p: EffectivePolicy, risk: Risk): PolicyViolation[] {
  const out: PolicyViolation[] = [];
  if (!p.autoRemediation)
    out.push(
      v(POLICY_RULES.AutoRemediationDisabled, "policy.autoRemediation is off: a person approves every plan"),
    );
  const threshold = p.approvalRequiredAtRisk;
  if (RANK[risk] >= RANK[threshold])
    out.push(
      v(
        POLICY_RULES.RiskRequiresApproval,
        `plan risk ${risk} is at or above policy.approvalRequiredAtRisk ${threshold}`,
      ),
    );
  if (risk === "high")
    out.push(v(POLICY_RULES.HighRiskRequiresApproval, "high-risk plans always need a person's approval"));
  return out;
}

/** The plan's namespace (the governing AgentConfig's, for a plan object without one). */
const homeOf = (plan: PolicyPlan, configs: GoverningConfigs) =>
  plan.metadata?.namespace ?? configs.namespace?.metadata?.namespace ?? "";

/** Evaluates the plan against the cluster policy narrowed by its namespace's AgentConfig. */
export function evaluatePolicy(
  plan: PolicyPlan,
  configs: GoverningConfigs,
  ctx: PolicyContext,
): PolicyVerdict {
  const p = mergePolicy(homeOf(plan, configs), configs);
  const violations: PolicyViolation[] = [];
  if (p.disabledBy) violations.push(v(POLICY_RULES.AutomationDisabled, p.disabledBy));
  for (const s of plan.spec.steps) violations.push(...actionViolations(s, p), ...scopeViolations(s, p));
  violations.push(...blastViolations(plan, p, ctx), ...timingViolations(plan, p, ctx));
  const risk = planRisk(plan);
  const reasons = approvalReasons(p, risk);
  return {
    allowed: violations.length === 0,
    violations,
    approvalRequired: reasons.length > 0,
    approvalReasons: reasons,
    risk,
    notes: p.ignored.map(
      (f) =>
        `${f} of ${p.namespaceSource ?? "the plan's AgentConfig"} ignored: it counts only in the cluster policy`,
    ),
  };
}
