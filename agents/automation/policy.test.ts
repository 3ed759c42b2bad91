import { describe, expect, it } from "vitest";
import type { AgentConfigSpec } from "../../crds/agentconfig.ts";
import { POLICY_RULES, evaluatePolicy, namespaceAllowed } from "./policy.ts";
import type { PolicyContext, PolicyPlan } from "./policy.ts";

const NOW = 1_700_000_000_000;
const ctx = (over: Partial<PolicyContext> = {}): PolicyContext => ({
  now: NOW,
  activePlans: 0,
  recentTargets: [],
  blastRadius: { pods: [], instances: [] },
  ...over,
});
const plan = (...steps: PolicyPlan["spec"]["steps"]): PolicyPlan => ({
  metadata: { namespace: "shop" },
  spec: { steps },
});
const restart = (namespace = "shop") => ({
  name: "s1",
  action: "RolloutRestart",
  target: { kind: "Deployment", namespace, name: "web" },
});
const config = (spec: AgentConfigSpec, namespace = "shop") => ({
  metadata: { namespace, name: "default" },
  spec,
});
/** Only the namespace's AgentConfig, no cluster policy (the safe defaults bound it). */
const own = (spec: AgentConfigSpec) => ({ namespace: config(spec) });
/** A cluster policy (AgentConfig default of aisre-system) and optionally the namespace's. */
const withCluster = (cluster: AgentConfigSpec, ns?: AgentConfigSpec) => ({
  cluster: config(cluster, "aisre-system"),
  ...(ns ? { namespace: config(ns) } : {}),
});
const rules = (v: { violations: { rule: string }[] }) => v.violations.map((x) => x.rule);

describe("evaluatePolicy", () => {
  it("with no AgentConfig allows a plan in its own namespace but always needs approval", () => {
    const v = evaluatePolicy(plan(restart()), {}, ctx());
    expect(v).toMatchObject({ allowed: true, approvalRequired: true, risk: "low", violations: [] });
    expect(v.approvalReasons.map((r) => r.rule)).toEqual([
      POLICY_RULES.AutoRemediationDisabled,
      POLICY_RULES.RiskRequiresApproval,
    ]);
  });

  it("lets a low-risk plan run unattended only with autoRemediation and a higher approval threshold", () => {
    const spec = { policy: { autoRemediation: true, approvalRequiredAtRisk: "medium" as const } };
    const auto = withCluster(spec, spec);
    expect(evaluatePolicy(plan(restart()), auto, ctx())).toMatchObject({
      allowed: true,
      approvalRequired: false,
    });
    // The namespace alone cannot turn auto-remediation on.
    expect(evaluatePolicy(plan(restart()), own(spec), ctx()).approvalRequired).toBe(true);
    const scale = {
      name: "s2",
      action: "ScaleWorkload",
      target: { kind: "Deployment", namespace: "shop", name: "web" },
    };
    expect(evaluatePolicy(plan(restart(), scale), auto, ctx())).toMatchObject({
      risk: "medium",
      approvalRequired: true,
    });
    const raised = { ...restart(), risk: "high" as const };
    const highSpec = { policy: { autoRemediation: true, approvalRequiredAtRisk: "high" as const } };
    const high = evaluatePolicy(plan(raised), withCluster(highSpec, highSpec), ctx());
    expect(high.approvalReasons.map((r) => r.rule)).toContain(POLICY_RULES.HighRiskRequiresApproval);
  });

  it("rejects actions not enabled, and EC2 actions by default, without a grant or without an allow tag", () => {
    const ec2 = {
      name: "s1",
      action: "Ec2RebootInstance",
      target: { kind: "Ec2Instance", name: "i-0123456789abcdef0" },
    };
    expect(rules(evaluatePolicy(plan(ec2), {}, ctx()))).toEqual([POLICY_RULES.ClusterScopeNotAllowed]);
    const grant = { clusterGrants: [{ namespaces: ["shop"], actions: ["Ec2RebootInstance" as const] }] };
    const enabled = withCluster({ policy: grant }, { policy: { enabledActions: ["Ec2RebootInstance"] } });
    expect(rules(evaluatePolicy(plan(ec2), enabled, ctx()))).toEqual([POLICY_RULES.Ec2NotConfigured]);
    const aws = { aws: { region: "us-east-1", allowTag: { key: "k", value: "v" } } };
    const tagged = withCluster(
      { policy: grant },
      { policy: { enabledActions: ["Ec2RebootInstance"] }, tools: aws },
    );
    expect(evaluatePolicy(plan(ec2), tagged, ctx()).allowed).toBe(true);
    // Without the cluster's grant the namespace's own enabling and AWS config do not suffice.
    const ungranted = own({ policy: { enabledActions: ["Ec2RebootInstance"] }, tools: aws });
    expect(rules(evaluatePolicy(plan(ec2), ungranted, ctx()))).toEqual([POLICY_RULES.ClusterScopeNotAllowed]);
    const only = own({ policy: { enabledActions: ["ScaleWorkload"] } });
    const v = evaluatePolicy(plan(restart()), only, ctx());
    expect(v.violations).toEqual([
      {
        rule: POLICY_RULES.ActionNotEnabled,
        message: "step s1: RolloutRestart is not in policy.enabledActions of AgentConfig shop/default",
        retryable: false,
      },
    ]);
    const clusterOnly = withCluster({ policy: { enabledActions: ["ScaleWorkload"] } });
    expect(evaluatePolicy(plan(restart()), clusterOnly, ctx()).violations[0]?.message).toBe(
      "step s1: RolloutRestart is not in policy.enabledActions of the cluster policy (AgentConfig aisre-system/default)",
    );
    expect(rules(evaluatePolicy(plan({ ...restart(), action: "Reboot" }), {}, ctx()))).toEqual([
      POLICY_RULES.ActionNotEnabled,
    ]);
    const wrongKind = { ...restart(), target: { kind: "Pod", namespace: "shop", name: "p" } };
    expect(rules(evaluatePolicy(plan(wrongKind), {}, ctx()))).toEqual([POLICY_RULES.TargetKindMismatch]);
  });

  it("lets a plan change only its own namespace, whatever its AgentConfig lists, and kube-system only when the cluster names it", () => {
    const other = evaluatePolicy(plan(restart("other")), own({}), ctx());
    expect(other.violations).toEqual([
      {
        rule: POLICY_RULES.NamespaceNotAllowed,
        message: "step s1: Deployment other/web is in namespace other; a plan in shop may change only shop",
        retryable: false,
      },
    ]);
    const star = { policy: { allowedNamespaces: ["*", "kube-system"] } };
    expect(rules(evaluatePolicy(plan(restart("other")), own(star), ctx()))).toEqual([
      POLICY_RULES.NamespaceNotAllowed,
    ]);
    expect(rules(evaluatePolicy(plan(restart("other")), withCluster(star, star), ctx()))).toEqual([
      POLICY_RULES.NamespaceNotAllowed,
    ]);
    const system = { metadata: { namespace: "kube-system" }, spec: plan(restart("kube-system")).spec };
    expect(
      rules(evaluatePolicy(system, withCluster({ policy: { allowedNamespaces: ["*"] } }), ctx())),
    ).toEqual([POLICY_RULES.NamespaceNotAllowed]);
    const listed = withCluster({ policy: { allowedNamespaces: ["kube-system"] } });
    expect(evaluatePolicy(system, listed, ctx()).allowed).toBe(true);
    expect(namespaceAllowed("kube-system", ["*"])).toBe(false);
  });

  it("counts the blast radius: pods, instances, and the namespaces of pods a drain would evict", () => {
    const pods = Array.from({ length: 11 }, (_, i) => `shop/p${i}`);
    const v = evaluatePolicy(plan(restart()), {}, ctx({ blastRadius: { pods, instances: ["i-1", "i-2"] } }));
    expect(rules(v)).toEqual([POLICY_RULES.TooManyPodsAffected, POLICY_RULES.TooManyInstancesAffected]);
    const limits = { policy: { maxAffectedPods: 20, maxAffectedInstances: 2 } };
    const roomy = withCluster(limits, limits);
    expect(
      evaluatePolicy(plan(restart()), roomy, ctx({ blastRadius: { pods, instances: ["i-1", "i-2"] } }))
        .allowed,
    ).toBe(true);
    // The namespace alone cannot raise the limits.
    expect(
      evaluatePolicy(plan(restart()), own(limits), ctx({ blastRadius: { pods, instances: [] } })).allowed,
    ).toBe(false);
    const drain = { name: "d", action: "DrainNode", target: { kind: "Node", name: "n1" } };
    const spread = ctx({ blastRadius: { pods: ["shop/a", "kube-system/coredns-1"], instances: [] } });
    const star = withCluster({
      policy: { clusterGrants: [{ namespaces: ["shop"], actions: ["DrainNode"], podNamespaces: ["*"] }] },
    });
    const d = evaluatePolicy(plan(drain), star, spread);
    expect(d.violations.map((x) => x.message)).toEqual([
      "the plan disrupts pods in namespace kube-system: the cluster policy (AgentConfig aisre-system/default) " +
        "grants plans of shop no disruption there (policy.clusterGrants podNamespaces)",
    ]);
    expect(d.risk).toBe("high");
  });

  it("defers (retryable) a target in cooldown and a plan beyond the concurrency limit", () => {
    const web = { kind: "Deployment", namespace: "shop", name: "web" };
    const recent = ctx({ recentTargets: [{ target: web, at: NOW - 60_000 }], activePlans: 1 });
    const v = evaluatePolicy(plan(restart()), {}, recent);
    expect(v.violations).toEqual([
      {
        rule: POLICY_RULES.CooldownActive,
        message: "Deployment shop/web was changed by another plan; cooldown ends in 540s",
        retryable: true,
      },
      {
        rule: POLICY_RULES.TooManyConcurrentPlans,
        message: "1 plans already running; policy allows 1",
        retryable: true,
      },
    ]);
    const old = ctx({ recentTargets: [{ target: web, at: NOW - 601_000 }] });
    expect(evaluatePolicy(plan(restart()), {}, old).allowed).toBe(true);
    const timing = { policy: { cooldownSeconds: 30, maxConcurrentPlans: 2 } };
    expect(evaluatePolicy(plan(restart()), withCluster(timing, timing), recent).allowed).toBe(true);
    expect(evaluatePolicy(plan(restart()), own(timing), recent).allowed).toBe(false);
  });

  it("lets a plan change a Node only when the cluster policy grants the action to its namespace", () => {
    const cordon = { name: "c", action: "CordonNode", target: { kind: "Node", name: "n1" } };
    expect(evaluatePolicy(plan(cordon), {}, ctx()).violations).toEqual([
      {
        rule: POLICY_RULES.ClusterScopeNotAllowed,
        message:
          "step c: CordonNode on Node n1 is cluster-scoped; the cluster policy (none: the safe defaults) " +
          "grants it to no plan of namespace shop (policy.clusterGrants)",
        retryable: false,
      },
    ]);
    // The old trust: the namespace's own "*" no longer reaches a Node.
    const star = { policy: { allowedNamespaces: ["*"] } };
    expect(rules(evaluatePolicy(plan(cordon), own(star), ctx()))).toEqual([
      POLICY_RULES.ClusterScopeNotAllowed,
    ]);
    const granted = withCluster({
      policy: { clusterGrants: [{ namespaces: ["shop"], actions: ["CordonNode"] }] },
    });
    expect(evaluatePolicy(plan(cordon), granted, ctx()).allowed).toBe(true);
    const runbook = { name: "r", action: "RunbookOnly", target: { kind: "Node", name: "n1" } };
    expect(evaluatePolicy(plan(runbook), {}, ctx()).allowed).toBe(true);
  });

  it("rejects everything when the automation agent is off in either AgentConfig", () => {
    const off = { agents: { automation: { enabled: false } } };
    expect(rules(evaluatePolicy(plan(restart()), own(off), ctx()))).toEqual([
      POLICY_RULES.AutomationDisabled,
    ]);
    expect(rules(evaluatePolicy(plan(restart()), withCluster(off, {}), ctx()))).toEqual([
      POLICY_RULES.AutomationDisabled,
    ]);
  });

  it("has stable CamelCase rule names", () => {
    for (const [k, v] of Object.entries(POLICY_RULES)) {
      expect(v).toBe(k);
      expect(v).toMatch(/^[A-Z][A-Za-z0-9]+$/);
    }
  });
});
