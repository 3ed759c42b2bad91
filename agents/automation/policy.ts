/**
 * The automation policy of an AgentConfig, as a pure function of the plan, the config and
 * what is going on (no I/O). Missing config or fields fall back to the safe defaults:
 * every plan needs approval, no auto-remediation, only the AgentConfig's own namespace,
 * kube-system never unless listed by name, EC2 off unless an allow tag is set.
 */
import { ACTION_RISKS, isActionName } from "../../crds/actions.ts";
import type { Risk } from "../../crds/actions.ts";
import { actionFitsKind } from "../../crds/action-targets.ts";
import { DEFAULT_ENABLED_ACTIONS } from "../../crds/agentconfig-policy.ts";
import type { AgentConfigSpec } from "../../crds/agentconfig.ts";
import type { ObjectReference } from "../../crds/common.ts";
import type { BlastRadius } from "./action.ts";

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

/** The defaults of crds/agentconfig-policy.ts, restated where the engine needs numbers. */
export const POLICY_DEFAULTS = {
  maxAffectedPods: 10,
  maxAffectedInstances: 1,
  cooldownSeconds: 600,
  maxConcurrentPlans: 1,
  approvalRequiredAtRisk: "low" as Risk,
} as const;

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

/** The AgentConfig as policy sees it; absent means every default. */
export interface PolicyConfig {
  metadata?: { namespace?: string };
  spec?: AgentConfigSpec;
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

/** True when policy lets plans change this namespace. */
export function namespaceAllowed(ns: string, allowed: readonly string[]): boolean {
  // kube-system is never covered by "*": it must be listed by name.
  if (ns === "kube-system") return allowed.includes("kube-system");
  return allowed.includes("*") || allowed.includes(ns);
}

/** Whether the step's action is a catalog action, enabled, fitting its target, and configured. */
function actionViolations(
  s: PolicyPlan["spec"]["steps"][number],
  enabled: readonly string[],
  ec2Configured: boolean,
): PolicyViolation[] {
  const where = `step ${s.name}`;
  if (!isActionName(s.action))
    return [v(POLICY_RULES.ActionNotEnabled, `${where}: ${s.action} is not a catalog action`)];
  if (!enabled.includes(s.action))
    return [v(POLICY_RULES.ActionNotEnabled, `${where}: ${s.action} is not in policy.enabledActions`)];
  if (!actionFitsKind(s.action, s.target.kind))
    return [v(POLICY_RULES.TargetKindMismatch, `${where}: ${s.action} cannot act on ${s.target.kind}`)];
  if (s.action.startsWith("Ec2") && !ec2Configured)
    return [v(POLICY_RULES.Ec2NotConfigured, `${where}: EC2 actions need tools.aws.allowTag`)];
  return [];
}

/** Whether the step's target lies where policy lets plans act. */
function scopeViolations(
  s: PolicyPlan["spec"]["steps"][number],
  allowedNs: readonly string[],
): PolicyViolation[] {
  const ns = s.target.namespace;
  if (ns)
    return namespaceAllowed(ns, allowedNs)
      ? []
      : [
          v(
            POLICY_RULES.NamespaceNotAllowed,
            `step ${s.name}: namespace ${ns} is not in policy.allowedNamespaces`,
          ),
        ];
  // A Node affects every namespace: only an AgentConfig trusted with all of them ("*") may change one.
  const clusterScoped = s.target.kind !== "Ec2Instance" && s.action !== "RunbookOnly";
  if (!clusterScoped || allowedNs.includes("*")) return [];
  const what = `${s.target.kind} ${s.target.name}`;
  return [
    v(
      POLICY_RULES.ClusterScopeNotAllowed,
      `step ${s.name}: ${what} is cluster-scoped; it needs policy.allowedNamespaces ["*"]`,
    ),
  ];
}

function stepViolations(plan: PolicyPlan, config: PolicyConfig | undefined, allowedNs: readonly string[]) {
  const enabled: readonly string[] = config?.spec?.policy?.enabledActions ?? DEFAULT_ENABLED_ACTIONS;
  const ec2Configured = config?.spec?.tools?.aws?.allowTag !== undefined;
  return plan.spec.steps.flatMap((s) => [
    ...actionViolations(s, enabled, ec2Configured),
    ...scopeViolations(s, allowedNs),
  ]);
}

function blastViolations(config: PolicyConfig | undefined, ctx: PolicyContext, allowedNs: readonly string[]) {
  const policy = config?.spec?.policy;
  const out: PolicyViolation[] = [];
  const pods = new Set(ctx.blastRadius.pods);
  const instances = new Set(ctx.blastRadius.instances);
  const maxPods = policy?.maxAffectedPods ?? POLICY_DEFAULTS.maxAffectedPods;
  const maxInstances = policy?.maxAffectedInstances ?? POLICY_DEFAULTS.maxAffectedInstances;
  if (pods.size > maxPods)
    out.push(
      v(POLICY_RULES.TooManyPodsAffected, `the plan affects ${pods.size} pods; policy allows ${maxPods}`),
    );
  if (instances.size > maxInstances)
    out.push(
      v(
        POLICY_RULES.TooManyInstancesAffected,
        `the plan affects ${instances.size} EC2 instances; policy allows ${maxInstances}`,
      ),
    );
  // Pods a node drain would evict count too: draining must not reach into forbidden namespaces.
  const podNamespaces = new Set([...pods].map((p) => p.split("/")[0] ?? ""));
  for (const ns of [...podNamespaces].sort()) {
    if (ns && !namespaceAllowed(ns, allowedNs))
      out.push(
        v(
          POLICY_RULES.NamespaceNotAllowed,
          `the plan disrupts pods in namespace ${ns}, which is not in policy.allowedNamespaces`,
        ),
      );
  }
  return out;
}

const sameTarget = (a: ObjectReference, b: ObjectReference) =>
  a.kind === b.kind && a.name === b.name && (a.namespace ?? "") === (b.namespace ?? "");

function timingViolations(plan: PolicyPlan, config: PolicyConfig | undefined, ctx: PolicyContext) {
  const policy = config?.spec?.policy;
  const out: PolicyViolation[] = [];
  const cooldownMs = (policy?.cooldownSeconds ?? POLICY_DEFAULTS.cooldownSeconds) * 1000;
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
  const maxPlans = policy?.maxConcurrentPlans ?? POLICY_DEFAULTS.maxConcurrentPlans;
  if (ctx.activePlans >= maxPlans)
    out.push(
      v(
        POLICY_RULES.TooManyConcurrentPlans,
        `${ctx.activePlans} plans already running; policy allows ${maxPlans}`,
        true,
      ),
    );
  return out;
}

function approvalReasons(config: PolicyConfig | undefined, risk: Risk): PolicyViolation[] {
  const policy = config?.spec?.policy;
  const out: PolicyViolation[] = [];
  if (policy?.autoRemediation !== true)
    out.push(
      v(POLICY_RULES.AutoRemediationDisabled, "policy.autoRemediation is off: a person approves every plan"),
    );
  const threshold = policy?.approvalRequiredAtRisk ?? POLICY_DEFAULTS.approvalRequiredAtRisk;
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

/** The namespaces plans may change: the listed ones, else only the AgentConfig's (or plan's) own. */
function allowedNamespaces(plan: PolicyPlan, config: PolicyConfig | undefined): readonly string[] {
  const listed = config?.spec?.policy?.allowedNamespaces;
  if (listed) return listed;
  const home = config?.metadata?.namespace ?? plan.metadata?.namespace;
  return home ? [home] : [];
}

/** Evaluates the plan against the AgentConfig policy. */
export function evaluatePolicy(
  plan: PolicyPlan,
  config: PolicyConfig | undefined,
  ctx: PolicyContext,
): PolicyVerdict {
  const allowedNs = allowedNamespaces(plan, config);
  const violations: PolicyViolation[] = [];
  if (config?.spec?.agents?.automation?.enabled === false)
    violations.push(v(POLICY_RULES.AutomationDisabled, "agents.automation.enabled is false"));
  violations.push(
    ...stepViolations(plan, config, allowedNs),
    ...blastViolations(config, ctx, allowedNs),
    ...timingViolations(plan, config, ctx),
  );
  const risk = planRisk(plan);
  const reasons = approvalReasons(config, risk);
  return {
    allowed: violations.length === 0,
    violations,
    approvalRequired: reasons.length > 0,
    approvalReasons: reasons,
    risk,
  };
}
