/**
 * A namespace cannot grant itself the cluster (docs/adr/0006-cluster-policy.md): on the real
 * control plane, an AgentConfig in team-a listing ["*", "kube-system"] does not let a plan from
 * team-a drain a node whose pods are in kube-system and payments, nor change another
 * namespace's Deployment; only the cluster policy (the AgentConfig `default` of the operator's
 * namespace) can grant the drain, for exactly the namespaces it names.
 */
import { randomBytes } from "node:crypto";
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { AgentConfig, RemediationPlan } from "../../crds/index.ts";
import { createKwokNode, createReadyDeployment, deployment, waitFor } from "../automation/support.ts";
import { controlPlane, installCrds, itOnCluster, useNamespace } from "../support/cluster.ts";
import type { OperatorProcess } from "../support/operator-process.ts";
import { startOperator, stopOperator } from "../support/operator-process.ts";
import { handPlan, kubectlApply, waitForPlan } from "../remediation/support.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const team = useNamespace(cluster, "team-a");
const payments = useNamespace(cluster, "payments");
const operatorNs = useNamespace(cluster, "aisre-op");
const nodeName = `aisre-policy-${randomBytes(3).toString("hex")}`;
const systemApp = `aisre-policy-sys-${randomBytes(3).toString("hex")}`;

/** An AgentConfig `default` with this policy. */
const config = (namespace: string, policy: Record<string, unknown>): AgentConfig => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "AgentConfig",
  metadata: { name: "default", namespace },
  spec: { policy } as AgentConfig["spec"],
});
/** What the team's AgentConfig claims: every namespace, kube-system by name, the drain enabled. */
const greedy = {
  enabledActions: ["DrainNode", "ScaleWorkload", "RunbookOnly"],
  allowedNamespaces: ["*", "kube-system"],
  // Only the cluster policy's clusterGrants count: this one is ignored (PolicyScope False).
  clusterGrants: [{ namespaces: ["*"], actions: ["DrainNode"], podNamespaces: ["*", "kube-system"] }],
  maxAffectedPods: 50,
  cooldownSeconds: 0,
  maxConcurrentPlans: 10,
};
const drainPlan = (name: string) =>
  handPlan(team.name, name, [
    { name: "drain", action: "DrainNode", target: { kind: "Node", name: nodeName } },
  ]);
const condition = (p: RemediationPlan, type: string) => p.status?.conditions?.find((c) => c.type === type);

describe("namespace policy is bounded by the cluster policy, on the real control plane", () => {
  let op: OperatorProcess | undefined;
  let apps: k8s.AppsV1Api;
  /** The pods on the node, as namespace/name@uid: a drain that ran would change them. */
  const podsOnNode = async () =>
    (await cluster!.core.listPodForAllNamespaces({ fieldSelector: `spec.nodeName=${nodeName}` })).items
      .filter((p) => !p.metadata?.deletionTimestamp)
      .map((p) => `${p.metadata?.namespace}/${p.metadata?.name}@${p.metadata?.uid}`)
      .sort();
  const cordoned = async () =>
    (await cluster!.core.readNode({ name: nodeName })).spec?.unschedulable === true;

  beforeAll(async () => {
    if (!cluster) return;
    apps = cluster.kc.makeApiClient(k8s.AppsV1Api);
    await installCrds(cluster);
    await createKwokNode(cluster, nodeName);
    await createReadyDeployment(
      cluster,
      "kube-system",
      deployment(systemApp, { replicas: 1, node: nodeName }),
    );
    await createReadyDeployment(
      cluster,
      payments.name,
      deployment("ledger", { replicas: 1, node: nodeName }),
    );
    await kubectlApply(cluster, config(team.name, greedy));
    // The operator of the team's namespace; its own namespace holds the cluster policy (none yet).
    op = startOperator(cluster, {
      AISRE_WATCH_NAMESPACE: team.name,
      AISRE_NAMESPACE: operatorNs.name,
      AISRE_LEADER_ELECT: "false",
    });
    await op.waitForLog(/Started workers/);
  }, 180_000);

  afterAll(async () => {
    await stopOperator(op);
    if (!cluster) return;
    await apps
      .deleteNamespacedDeployment({ name: systemApp, namespace: "kube-system" })
      .catch(() => undefined);
    await cluster.core.deleteNode({ name: nodeName }).catch(() => undefined);
  });

  it("denies the drain the team's AgentConfig claims: no cluster policy, then one that grants nothing", async () => {
    const before = await podsOnNode();
    expect(before.map((p) => p.split("/")[0])).toEqual(["kube-system", payments.name].sort());

    await kubectlApply(cluster!, drainPlan("drain-no-cluster-policy"));
    const p = await waitForPlan(cluster!, team.name, "drain-no-cluster-policy", [
      "Rejected",
      "AwaitingApproval",
    ]);
    expect(p.status?.phase).toBe("Rejected");
    expect(condition(p, "PolicyAllowed")).toMatchObject({ status: "False", reason: "PolicyDenied" });
    const message = condition(p, "PolicyAllowed")?.message ?? "";
    expect(message).toMatch(/ClusterScopeNotAllowed: step drain: DrainNode on Node .* is cluster-scoped/);
    expect(message).toMatch(/disrupts pods in namespace kube-system/);
    expect(message).toMatch(new RegExp(`disrupts pods in namespace ${payments.name}`));

    // A cluster policy that opens every namespace to its own plans still grants no Node action.
    await kubectlApply(cluster!, config(operatorNs.name, { allowedNamespaces: ["*"] }));
    await kubectlApply(cluster!, drainPlan("drain-no-grant"));
    const q = await waitForPlan(cluster!, team.name, "drain-no-grant", ["Rejected", "AwaitingApproval"]);
    expect(q.status?.phase).toBe("Rejected");
    expect(condition(q, "PolicyAllowed")?.reason).toBe("PolicyDenied");
    expect(condition(q, "PolicyAllowed")?.message).toMatch(/ClusterScopeNotAllowed/);

    // Nothing was evicted, nothing cordoned.
    expect(await podsOnNode()).toEqual(before);
    expect(await cordoned()).toBe(false);
    // The team's AgentConfig says that its clusterGrants are ignored.
    const own = await waitFor("the team's PolicyScope condition", async () => {
      const c = (await cluster!.objects.read({
        apiVersion: "aisre.io/v1alpha1",
        kind: "AgentConfig",
        metadata: { name: "default", namespace: team.name },
      })) as AgentConfig;
      return c.status?.conditions?.find((x) => x.type === "PolicyScope");
    });
    expect(own).toMatchObject({ status: "False", reason: "ClusterFieldsIgnored" });
    expect(own.message).toContain("spec.policy.clusterGrants ignored");
  });

  it("denies a step on another namespace's Deployment, naming that namespace", async () => {
    const target = { kind: "Deployment", namespace: payments.name, name: "ledger" };
    await kubectlApply(
      cluster!,
      handPlan(team.name, "scale-payments", [
        { name: "scale", action: "ScaleWorkload", target, params: { replicas: 0 } },
      ]),
    );
    const p = await waitForPlan(cluster!, team.name, "scale-payments", ["Rejected", "AwaitingApproval"]);
    expect(p.status?.phase).toBe("Rejected");
    expect(condition(p, "PolicyAllowed")).toMatchObject({ status: "False", reason: "PolicyDenied" });
    expect(condition(p, "PolicyAllowed")?.message).toContain(
      `NamespaceNotAllowed: step scale: Deployment ${payments.name}/ledger is in namespace ${payments.name}; ` +
        `a plan in ${team.name} may change only ${team.name}`,
    );
    const ledger = await apps.readNamespacedDeployment({ name: "ledger", namespace: payments.name });
    expect(ledger.spec?.replicas).toBe(1);
  });

  it("allows the drain once the cluster policy grants it to the team for exactly those namespaces, and counts every pod", async () => {
    const grant = {
      namespaces: [team.name],
      actions: ["DrainNode"],
      podNamespaces: ["kube-system", payments.name],
    };
    await kubectlApply(
      cluster!,
      config(operatorNs.name, { allowedNamespaces: ["*"], clusterGrants: [grant] }),
    );
    await kubectlApply(cluster!, drainPlan("drain-granted"));
    const p = await waitForPlan(cluster!, team.name, "drain-granted", ["Rejected", "AwaitingApproval"]);
    expect(condition(p, "PolicyAllowed")).toMatchObject({ status: "True", reason: "PolicyAllowed" });
    expect(p.status?.phase).toBe("AwaitingApproval");
    expect(p.status?.risk).toBe("high");

    // The grant names the namespaces: one it leaves out is not disrupted.
    await kubectlApply(
      cluster!,
      config(operatorNs.name, {
        allowedNamespaces: ["*"],
        clusterGrants: [{ ...grant, podNamespaces: ["kube-system"] }],
      }),
    );
    await kubectlApply(cluster!, drainPlan("drain-half-granted"));
    const h = await waitForPlan(cluster!, team.name, "drain-half-granted", ["Rejected", "AwaitingApproval"]);
    expect(h.status?.phase).toBe("Rejected");
    expect(condition(h, "PolicyAllowed")?.message).toMatch(
      new RegExp(`disrupts pods in namespace ${payments.name}: the cluster policy`),
    );
    expect(condition(h, "PolicyAllowed")?.message).not.toMatch(/namespace kube-system/);

    // Pods of every namespace count against the cluster's limit, which the team cannot raise.
    await kubectlApply(
      cluster!,
      config(operatorNs.name, { allowedNamespaces: ["*"], clusterGrants: [grant], maxAffectedPods: 1 }),
    );
    await kubectlApply(cluster!, drainPlan("drain-too-many"));
    const t = await waitForPlan(cluster!, team.name, "drain-too-many", ["Rejected", "AwaitingApproval"]);
    expect(t.status?.phase).toBe("Rejected");
    expect(condition(t, "PolicyAllowed")?.message).toMatch(
      /TooManyPodsAffected: the plan affects 2 pods; policy allows 1/,
    );

    await waitFor("the operator idle", async () => (await cordoned()) === false);
  });
});
