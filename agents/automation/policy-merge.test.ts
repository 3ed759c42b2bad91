import { describe, expect, it } from "vitest";
import type { AgentConfigSpec } from "../../crds/agentconfig.ts";
import { DEFAULT_ENABLED_ACTIONS } from "../../crds/agentconfig-policy.ts";
import { actionEnabled, ignoredClusterFields, mergePolicy, POLICY_DEFAULTS } from "./policy-merge.ts";

const cfg = (namespace: string, spec: AgentConfigSpec, name = "default") => ({
  metadata: { namespace, name },
  spec,
});
const cluster = (policy: NonNullable<AgentConfigSpec["policy"]>, rest: AgentConfigSpec = {}) =>
  cfg("aisre-system", { ...rest, policy });
const team = (policy: NonNullable<AgentConfigSpec["policy"]>, rest: AgentConfigSpec = {}) =>
  cfg("team-a", { ...rest, policy });

describe("mergePolicy (cluster ∩ namespace)", () => {
  it("without a cluster policy: own namespace (never kube-system), no Node or EC2 action, the safe limits", () => {
    const p = mergePolicy("team-a", {});
    expect(p).toMatchObject({
      homeByCluster: true,
      narrowing: undefined,
      autoRemediation: false,
      approvalRequiredAtRisk: "low",
      maxAffectedPods: POLICY_DEFAULTS.maxAffectedPods,
      maxAffectedInstances: POLICY_DEFAULTS.maxAffectedInstances,
      cooldownSeconds: POLICY_DEFAULTS.cooldownSeconds,
      maxConcurrentPlans: POLICY_DEFAULTS.maxConcurrentPlans,
      approvalTTLSeconds: POLICY_DEFAULTS.approvalTTLSeconds,
      ignored: [],
    });
    expect(p.grants.size).toBe(0);
    for (const a of ["CordonNode", "DrainNode", "UncordonNode", "Ec2StopInstance"] as const)
      expect(actionEnabled(p, a)).toBe("cluster");
    expect(actionEnabled(p, "RolloutRestart")).toBe("yes");
    expect(mergePolicy("kube-system", {}).homeByCluster).toBe(false);
  });

  it("a namespace governed by the cluster policy alone keeps the cluster's approval threshold", () => {
    const c = cluster({ autoRemediation: true, approvalRequiredAtRisk: "high" });
    for (const namespace of [undefined, c]) {
      const p = mergePolicy("aisre-system", namespace ? { cluster: c, namespace } : { cluster: c });
      expect(p).toMatchObject({ autoRemediation: true, approvalRequiredAtRisk: "high" });
    }
    const stricter = team({ approvalRequiredAtRisk: "medium", autoRemediation: true });
    expect(mergePolicy("team-a", { cluster: c, namespace: stricter }).approvalRequiredAtRisk).toBe("medium");
  });

  it("the namespace cannot widen: its clusterGrants, allowedNamespaces and enabledActions are bounded", () => {
    const wide = team({
      allowedNamespaces: ["*", "kube-system"],
      enabledActions: ["DrainNode", "RolloutRestart", "Ec2StopInstance"],
      clusterGrants: [{ namespaces: ["*"], actions: ["DrainNode"], podNamespaces: ["*", "kube-system"] }],
      autoRemediation: true,
      maxAffectedPods: 10000,
      approvalRequiredAtRisk: "high",
    });
    const p = mergePolicy("team-a", {
      cluster: cluster({ enabledActions: ["ScaleWorkload"] }),
      namespace: wide,
    });
    expect(p.grants.size).toBe(0);
    expect(p.ignored).toEqual(["spec.policy.clusterGrants"]);
    expect(actionEnabled(p, "DrainNode")).toBe("cluster");
    expect(actionEnabled(p, "RolloutRestart")).toBe("cluster");
    expect(actionEnabled(p, "ScaleWorkload")).toBe("namespace");
    expect(p).toMatchObject({
      autoRemediation: false,
      maxAffectedPods: 10,
      approvalRequiredAtRisk: "low",
      narrowing: ["*", "kube-system"],
    });
  });

  it("a namespace that sets no limit, or is the cluster policy itself, keeps the cluster's limits", () => {
    const c = cluster({ cooldownSeconds: 0, maxConcurrentPlans: 10, maxAffectedPods: 80 });
    const limits = { cooldownSeconds: 0, maxConcurrentPlans: 10, maxAffectedPods: 80 };
    expect(mergePolicy("team-a", { cluster: c })).toMatchObject(limits);
    expect(mergePolicy("team-a", { cluster: c, namespace: c })).toMatchObject(limits);
    expect(mergePolicy("team-a", { cluster: c, namespace: team({ autoRemediation: true }) })).toMatchObject(
      limits,
    );
    // A cluster policy that sets no limit gets the safe defaults, and a namespace may only narrow them.
    const bare = mergePolicy("team-a", { cluster: cluster({}), namespace: team({ cooldownSeconds: 0 }) });
    expect(bare.cooldownSeconds).toBe(POLICY_DEFAULTS.cooldownSeconds);
    expect(bare.maxConcurrentPlans).toBe(POLICY_DEFAULTS.maxConcurrentPlans);
  });

  it("the namespace narrows: intersection of actions and namespaces, minimum of limits, maximum cooldown", () => {
    const c = cluster({
      autoRemediation: true,
      approvalRequiredAtRisk: "high",
      maxAffectedPods: 50,
      maxAffectedInstances: 3,
      cooldownSeconds: 60,
      maxConcurrentPlans: 5,
      approvalTTLSeconds: 7200,
      allowedNamespaces: ["team-a", "team-b"],
      clusterGrants: [
        { namespaces: ["team-a"], actions: ["DrainNode", "CordonNode"], podNamespaces: ["payments"] },
        { namespaces: ["*"], actions: ["DrainNode"], podNamespaces: ["kube-system"] },
        { namespaces: ["team-b"], actions: ["UncordonNode"] },
      ],
    });
    const n = team({
      enabledActions: ["DrainNode", "RolloutRestart"],
      autoRemediation: true,
      approvalRequiredAtRisk: "medium",
      maxAffectedPods: 100,
      maxAffectedInstances: 1,
      cooldownSeconds: 600,
      maxConcurrentPlans: 2,
      approvalTTLSeconds: 600,
      allowedNamespaces: ["team-a", "payments"],
    });
    const p = mergePolicy("team-a", { cluster: c, namespace: n });
    expect(p).toMatchObject({
      homeByCluster: true,
      autoRemediation: true,
      approvalRequiredAtRisk: "medium",
      maxAffectedPods: 50,
      maxAffectedInstances: 1,
      cooldownSeconds: 600,
      maxConcurrentPlans: 2,
      approvalTTLSeconds: 600,
      narrowing: ["team-a", "payments"],
    });
    expect(Object.fromEntries(p.grants)).toEqual({
      DrainNode: ["payments", "kube-system"],
      CordonNode: ["payments"],
    });
    expect(actionEnabled(p, "DrainNode")).toBe("yes");
    expect(actionEnabled(p, "CordonNode")).toBe("namespace");
    expect(actionEnabled(p, "UncordonNode")).toBe("namespace");
    expect(actionEnabled(p, "RolloutRestart")).toBe("yes");
    expect(mergePolicy("team-c", { cluster: c }).homeByCluster).toBe(false);
    // kube-system is never covered by "*", in allowedNamespaces or in a grant's namespaces.
    expect(mergePolicy("kube-system", { cluster: c }).grants.has("DrainNode")).toBe(false);
  });

  it("auto-remediation needs both; a namespace without its own AgentConfig inherits the cluster's", () => {
    const c = cluster({ autoRemediation: true });
    expect(mergePolicy("team-a", { cluster: c }).autoRemediation).toBe(true);
    expect(mergePolicy("team-a", { cluster: c, namespace: team({}) }).autoRemediation).toBe(false);
    expect(mergePolicy("team-a", { namespace: team({ autoRemediation: true }) }).autoRemediation).toBe(false);
  });

  it("the cluster policy used as the plan's own AgentConfig is not a narrowing of itself", () => {
    const c = cluster({
      allowedNamespaces: ["aisre-system"],
      clusterGrants: [{ namespaces: ["aisre-system"], actions: ["CordonNode"] }],
    });
    const copy = structuredClone(c);
    const p = mergePolicy("aisre-system", { cluster: c, namespace: copy });
    expect(p).toMatchObject({
      homeByCluster: true,
      narrowing: undefined,
      ignored: [],
      namespaceSource: undefined,
    });
    expect(actionEnabled(p, "CordonNode")).toBe("yes");
    // Another AgentConfig of the operator's namespace is a namespace policy like any other.
    const other = cfg("aisre-system", { policy: { enabledActions: ["RolloutRestart"] } }, "narrow");
    expect(actionEnabled(mergePolicy("aisre-system", { cluster: c, namespace: other }), "CordonNode")).toBe(
      "namespace",
    );
  });

  it("automation off in either config disables it, naming which", () => {
    const off = { agents: { automation: { enabled: false } } };
    expect(mergePolicy("team-a", { cluster: cluster({}, off) }).disabledBy).toMatch(/aisre-system\/default/);
    expect(mergePolicy("team-a", { cluster: cluster({}), namespace: team({}, off) }).disabledBy).toMatch(
      /team-a\/default/,
    );
    expect(mergePolicy("team-a", { cluster: cluster({}), namespace: team({}) }).disabledBy).toBeUndefined();
  });

  it("EC2 access is configured by the AgentConfig the plan uses", () => {
    const aws = { tools: { aws: { region: "us-east-1", allowTag: { key: "k", value: "v" } } } };
    expect(mergePolicy("team-a", { cluster: cluster({}, aws), namespace: team({}) }).ec2Configured).toBe(
      false,
    );
    expect(mergePolicy("team-a", { cluster: cluster({}), namespace: team({}, aws) }).ec2Configured).toBe(
      true,
    );
    expect(mergePolicy("team-a", { cluster: cluster({}, aws) }).ec2Configured).toBe(true);
  });

  it("lists the cluster-only fields a namespace sets", () => {
    expect(ignoredClusterFields({ policy: { clusterGrants: [] } })).toEqual(["spec.policy.clusterGrants"]);
    expect(ignoredClusterFields({ policy: { enabledActions: DEFAULT_ENABLED_ACTIONS } })).toEqual([]);
    expect(ignoredClusterFields(undefined)).toEqual([]);
  });
});
