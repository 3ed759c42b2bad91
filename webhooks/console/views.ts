/**
 * The console's shapes of Kubernetes objects: a RemediationPlan for the approver (risk, blast
 * radius, dry run, expiry, each step with its audit rows) and an AgentConfig for the agents page
 * (conditions, LLM and Prometheus state, policy, channel names; never a Secret reference's key).
 */
import { mergePolicy } from "../../agents/automation/policy-merge.ts";
import type { AgentConfig, RemediationPlan } from "../../crds/index.ts";
import type { RemediationAction } from "../../store/index.ts";

type Condition = { type: string; status: string; reason?: string; message?: string };

type Plan = RemediationPlan;
type Step = Plan["spec"]["steps"][number];
type StepStatus = NonNullable<NonNullable<Plan["status"]>["steps"]>[number];

/** Objects the steps change; before any dry run, at least each step's own target. */
function blastRadius(plan: Plan): number {
  const affected = new Set<string>();
  for (const s of plan.status?.steps ?? [])
    for (const a of s.affected ?? []) affected.add(`${a.kind}/${a.namespace ?? ""}/${a.name}`);
  return affected.size || plan.spec.steps.length;
}

function dryRunOf(plan: Plan) {
  const results = (plan.status?.steps ?? []).flatMap((s) =>
    s.dryRun ? [{ step: s.name, ...s.dryRun }] : [],
  );
  return { passed: results.length === 0 ? null : results.every((d) => d.passed), results };
}

const orNull = <T>(v: T | undefined): T | null => (v === undefined ? null : v);
const stamp = (v: unknown): string | null => (v ? String(v) : null);

function stepView(
  plan: Plan,
  s: Step,
  index: number,
  st: StepStatus | undefined,
  audit: RemediationAction[],
) {
  return {
    name: s.name,
    action: s.action,
    target: s.target,
    params: s.params ?? {},
    risk: orNull(s.risk),
    description: orNull(s.description),
    phase: st?.phase ?? "Pending",
    dryRun: orNull(st?.dryRun),
    message: orNull(st?.message),
    audit: audit
      .filter((a) => a.planName === plan.metadata.name && a.stepIndex === index)
      .map((a) => ({
        phase: a.phase,
        approvedBy: a.approvedBy,
        outcome: a.outcome,
        message: a.message,
        dryRunResult: a.dryRunResult,
        occurredAt: a.occurredAt,
        finishedAt: a.finishedAt,
      })),
  };
}

function approvalOf(plan: Plan) {
  const approval = plan.status?.approval ?? plan.spec.approval;
  if (!approval) return null;
  return { ...approval, reason: plan.spec.approval?.comment ?? null };
}

/** The plan's state: phase, risk, approval, expiry, policy verdict. */
function planState(plan: Plan) {
  const status = plan.status ?? { approval: undefined };
  return {
    phase: plan.status?.phase ?? "Pending",
    message: orNull(plan.status?.message),
    risk: orNull(plan.status?.risk),
    expiresAt: stamp(status.approval?.expiresAt),
    // The recorded decision, with the reason the decider gave (spec.approval.comment).
    approval: approvalOf(plan),
    policy: orNull(plan.status?.policy),
  };
}

/** A plan as the console shows it: risk, blast radius, dry run, expiry, steps with their audit. */
export function planView(plan: Plan, canApprove: boolean, audit: RemediationAction[] = []) {
  const stepStatus = new Map((plan.status?.steps ?? []).map((s) => [s.name, s]));
  return {
    namespace: plan.metadata.namespace ?? "",
    name: plan.metadata.name ?? "",
    ...planState(plan),
    description: orNull(plan.spec.description),
    blastRadius: blastRadius(plan),
    dryRun: dryRunOf(plan),
    canApprove,
    task: orNull(plan.spec.taskRef?.name),
    createdAt: stamp(plan.metadata.creationTimestamp),
    actions: plan.spec.steps.map((s) => ({ action: s.action, target: s.target, params: s.params ?? {} })),
    steps: plan.spec.steps.map((s, i) => stepView(plan, s, i, stepStatus.get(s.name), audit)),
  };
}

/** Pending approvals first, then newest first. */
export function planOrder(a: ReturnType<typeof planView>, b: ReturnType<typeof planView>): number {
  const pending = (p: typeof a) => (p.phase === "AwaitingApproval" ? 0 : 1);
  return pending(a) - pending(b) || (b.createdAt ?? "").localeCompare(a.createdAt ?? "");
}

const conditionOf = (conditions: Condition[], type: string): Condition | undefined =>
  conditions.find((c) => c.type === type);

/** LLM and Prometheus state from the spec and the ToolsReachable condition. */
function toolsOf(spec: AgentConfig["spec"], conditions: Condition[]) {
  const tools = conditionOf(conditions, "ToolsReachable");
  const down = tools?.status === "False" ? (tools.message ?? tools.reason ?? "unreachable") : "";
  const url = spec.tools?.prometheus?.url ?? null;
  const llmOn = spec.llm?.enabled === true;
  return {
    llm: {
      enabled: llmOn,
      model: orNull(spec.llm?.model),
      lastError: llmOn && /llm/i.test(down) ? down : null,
    },
    prometheus: { url, reachable: url === null ? null : !/prometheus/i.test(down) },
  };
}

/**
 * The policy plans of the AgentConfig's namespace run under: the cluster policy (AgentConfig
 * `default` of the operator's namespace) narrowed by this one (agents/automation/policy-merge.ts).
 */
export function effectivePolicyView(config: AgentConfig, cluster: AgentConfig | undefined) {
  const p = mergePolicy(config.metadata?.namespace ?? "", { cluster, namespace: config });
  return {
    automation: p.disabledBy ? `off: ${p.disabledBy}` : "on",
    autoRemediation: p.autoRemediation,
    approvalRequiredAtRisk: p.approvalRequiredAtRisk,
    enabledActions: p.namespaceActions.filter((a) => p.clusterActions.includes(a)),
    ...(p.narrowing ? { allowedNamespaces: p.narrowing } : {}),
    maxAffectedPods: p.maxAffectedPods,
    maxAffectedInstances: p.maxAffectedInstances,
    cooldownSeconds: p.cooldownSeconds,
    maxConcurrentPlans: p.maxConcurrentPlans,
    approvalTTLSeconds: p.approvalTTLSeconds,
    from: [p.clusterSource, p.namespaceSource].filter(Boolean).join(" ∩ "),
  };
}

/** An AgentConfig as the console shows it: names of channels only, never secret references. */
export function agentView(config: AgentConfig, canEdit: boolean, cluster?: AgentConfig) {
  const spec = config.spec ?? {};
  const conditions = (config.status?.conditions ?? []) as Condition[];
  const notifications = (spec.notifications ?? {}) as Record<string, unknown>;
  return {
    namespace: config.metadata?.namespace ?? "",
    name: config.metadata?.name ?? "",
    phase: orNull(config.status?.phase),
    message: orNull(config.status?.message),
    conditions: conditions.map((c) => ({
      type: c.type,
      status: c.status,
      reason: orNull(c.reason),
      message: orNull(c.message),
    })),
    ...toolsOf(spec, conditions),
    policy: spec.policy ?? {},
    effectivePolicy: effectivePolicyView(config, cluster),
    channels: Object.keys(notifications).filter((k) => notifications[k] !== undefined),
    canEdit,
  };
}

/** Whether an AgentConfig is Ready, and why not, for the overview. */
export function agentHealth(config: AgentConfig) {
  const status = config.status ?? {};
  const ready = (status.conditions ?? []).find((c) => c.type === "Ready");
  return {
    namespace: config.metadata?.namespace ?? "",
    name: config.metadata?.name ?? "",
    ready: status.phase === "Ready" || ready?.status === "True",
    reason: ready?.reason ?? status.phase ?? null,
    message: ready?.message ?? status.message ?? null,
  };
}
