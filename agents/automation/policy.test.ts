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
const config = (spec: AgentConfigSpec, namespace = "shop") => ({ metadata: { namespace }, spec });
const rules = (v: { violations: { rule: string }[] }) => v.violations.map((x) => x.rule);

describe("evaluatePolicy", () => {
  it("with no AgentConfig allows a plan in its own namespace but always needs approval", () => {
    const v = evaluatePolicy(plan(restart()), undefined, ctx());
    expect(v).toMatchObject({ allowed: true, approvalRequired: true, risk: "low", violations: [] });
    expect(v.approvalReasons.map((r) => r.rule)).toEqual([
      POLICY_RULES.AutoRemediationDisabled,
      POLICY_RULES.RiskRequiresApproval,
    ]);
  });

  it("lets a low-risk plan run unattended only with autoRemediation and a higher approval threshold", () => {
    const auto = config({ policy: { autoRemediation: true, approvalRequiredAtRisk: "medium" } });
    expect(evaluatePolicy(plan(restart()), auto, ctx())).toMatchObject({
      allowed: true,
      approvalRequired: false,
    });
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
    const high = evaluatePolicy(
      plan(raised),
      config({ policy: { autoRemediation: true, approvalRequiredAtRisk: "high" } }),
      ctx(),
    );
    expect(high.approvalReasons.map((r) => r.rule)).toContain(POLICY_RULES.HighRiskRequiresApproval);
  });

  it("rejects actions not enabled, and EC2 actions by default or without an allow tag", () => {
    const ec2 = {
      name: "s1",
      action: "Ec2RebootInstance",
      target: { kind: "Ec2Instance", name: "i-0123456789abcdef0" },
    };
    expect(rules(evaluatePolicy(plan(ec2), undefined, ctx()))).toEqual([POLICY_RULES.ActionNotEnabled]);
    const enabled = config({ policy: { enabledActions: ["Ec2RebootInstance"] } });
    expect(rules(evaluatePolicy(plan(ec2), enabled, ctx()))).toEqual([POLICY_RULES.Ec2NotConfigured]);
    const tagged = config({
      policy: { enabledActions: ["Ec2RebootInstance"] },
      tools: { aws: { region: "us-east-1", allowTag: { key: "k", value: "v" } } },
    });
    expect(evaluatePolicy(plan(ec2), tagged, ctx()).allowed).toBe(true);
    const only = config({ policy: { enabledActions: ["ScaleWorkload"] } });
    const v = evaluatePolicy(plan(restart()), only, ctx());
    expect(v.violations).toEqual([
      {
        rule: POLICY_RULES.ActionNotEnabled,
        message: "step s1: RolloutRestart is not in policy.enabledActions",
        retryable: false,
      },
    ]);
    expect(rules(evaluatePolicy(plan({ ...restart(), action: "Reboot" }), undefined, ctx()))).toEqual([
      POLICY_RULES.ActionNotEnabled,
    ]);
    const wrongKind = { ...restart(), target: { kind: "Pod", namespace: "shop", name: "p" } };
    expect(rules(evaluatePolicy(plan(wrongKind), undefined, ctx()))).toEqual([
      POLICY_RULES.TargetKindMismatch,
    ]);
  });

  it("allows only the AgentConfig's namespace by default, and kube-system only when listed by name", () => {
    expect(rules(evaluatePolicy(plan(restart("other")), config({}), ctx()))).toEqual([
      POLICY_RULES.NamespaceNotAllowed,
    ]);
    const star = config({ policy: { allowedNamespaces: ["*"] } });
    expect(evaluatePolicy(plan(restart("other")), star, ctx()).allowed).toBe(true);
    expect(rules(evaluatePolicy(plan(restart("kube-system")), star, ctx()))).toEqual([
      POLICY_RULES.NamespaceNotAllowed,
    ]);
    const listed = config({ policy: { allowedNamespaces: ["kube-system"] } });
    expect(evaluatePolicy(plan(restart("kube-system")), listed, ctx()).allowed).toBe(true);
    expect(namespaceAllowed("kube-system", ["*"])).toBe(false);
  });

  it("counts the blast radius: pods, instances, and the namespaces of pods a drain would evict", () => {
    const pods = Array.from({ length: 11 }, (_, i) => `shop/p${i}`);
    const v = evaluatePolicy(
      plan(restart()),
      undefined,
      ctx({ blastRadius: { pods, instances: ["i-1", "i-2"] } }),
    );
    expect(rules(v)).toEqual([POLICY_RULES.TooManyPodsAffected, POLICY_RULES.TooManyInstancesAffected]);
    const roomy = config({ policy: { maxAffectedPods: 20, maxAffectedInstances: 2 } });
    expect(
      evaluatePolicy(plan(restart()), roomy, ctx({ blastRadius: { pods, instances: ["i-1", "i-2"] } }))
        .allowed,
    ).toBe(true);
    const drain = { name: "d", action: "DrainNode", target: { kind: "Node", name: "n1" } };
    const spread = ctx({ blastRadius: { pods: ["shop/a", "kube-system/coredns-1"], instances: [] } });
    const d = evaluatePolicy(plan(drain), config({ policy: { allowedNamespaces: ["*"] } }), spread);
    expect(d.violations.map((x) => x.message)).toEqual([
      "the plan disrupts pods in namespace kube-system, which is not in policy.allowedNamespaces",
    ]);
    expect(d.risk).toBe("high");
  });

  it("defers (retryable) a target in cooldown and a plan beyond the concurrency limit", () => {
    const web = { kind: "Deployment", namespace: "shop", name: "web" };
    const recent = ctx({ recentTargets: [{ target: web, at: NOW - 60_000 }], activePlans: 1 });
    const v = evaluatePolicy(plan(restart()), undefined, recent);
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
    expect(evaluatePolicy(plan(restart()), undefined, old).allowed).toBe(true);
    const short = config({ policy: { cooldownSeconds: 30, maxConcurrentPlans: 2 } });
    expect(evaluatePolicy(plan(restart()), short, recent).allowed).toBe(true);
  });

  it("lets only an AgentConfig trusted with every namespace change a Node", () => {
    const cordon = { name: "c", action: "CordonNode", target: { kind: "Node", name: "n1" } };
    expect(evaluatePolicy(plan(cordon), undefined, ctx()).violations).toEqual([
      {
        rule: POLICY_RULES.ClusterScopeNotAllowed,
        message: 'step c: Node n1 is cluster-scoped; it needs policy.allowedNamespaces ["*"]',
        retryable: false,
      },
    ]);
    expect(
      evaluatePolicy(plan(cordon), config({ policy: { allowedNamespaces: ["*"] } }), ctx()).allowed,
    ).toBe(true);
    const runbook = { name: "r", action: "RunbookOnly", target: { kind: "Node", name: "n1" } };
    expect(evaluatePolicy(plan(runbook), undefined, ctx()).allowed).toBe(true);
  });

  it("rejects everything when the automation agent is off", () => {
    const off = config({ agents: { automation: { enabled: false } } });
    expect(rules(evaluatePolicy(plan(restart()), off, ctx()))).toEqual([POLICY_RULES.AutomationDisabled]);
  });

  it("has stable CamelCase rule names", () => {
    for (const [k, v] of Object.entries(POLICY_RULES)) {
      expect(v).toBe(k);
      expect(v).toMatch(/^[A-Z][A-Za-z0-9]+$/);
    }
  });
});
