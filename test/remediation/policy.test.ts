import { describe, expect } from "vitest";
import { controlPlane, itOnCluster, useNamespace } from "../support/cluster.ts";
import { agentConfig, handPlan, kubectlApply, useOperator, waitForPlan } from "./support.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);

describe("policy and approval expiry, on the real control plane", () => {
  const ns = useNamespace(cluster, "pol");
  const { start } = useOperator(cluster, ns);
  const condition = (p: Awaited<ReturnType<typeof waitForPlan>>, type: string) =>
    p.status?.conditions?.find((c) => c.type === type);

  it("rejects a plan whose action is not enabled, naming the rule", async () => {
    await kubectlApply(cluster!, agentConfig(ns.name));
    await start();
    const pod = { kind: "Pod", namespace: ns.name, name: "whatever" };
    await kubectlApply(
      cluster!,
      handPlan(ns.name, "delete-pod", [{ name: "kill", action: "DeletePod", target: pod }]),
    );
    const p = await waitForPlan(cluster!, ns.name, "delete-pod", ["Rejected"]);
    expect(condition(p, "PolicyAllowed")).toMatchObject({ status: "False", reason: "PolicyDenied" });
    expect(condition(p, "PolicyAllowed")?.message).toMatch(/ActionNotEnabled/);
    expect(p.status?.policy?.allowed).toBe(false);
  });

  it("rejects a plan acting outside the allowed namespaces", async () => {
    const target = { kind: "Deployment", namespace: "kube-public", name: "x" };
    await kubectlApply(
      cluster!,
      handPlan(ns.name, "elsewhere", [
        { name: "scale", action: "ScaleWorkload", target, params: { replicas: 1 } },
      ]),
    );
    const p = await waitForPlan(cluster!, ns.name, "elsewhere", ["Rejected"]);
    expect(condition(p, "PolicyAllowed")?.message).toMatch(/NamespaceNotAllowed/);
  });

  it("rejects every plan when agents.automation.enabled is false", async () => {
    const config = agentConfig(ns.name);
    await kubectlApply(cluster!, {
      ...config,
      metadata: { name: "automation-off", namespace: ns.name },
      spec: { ...config.spec, agents: { automation: { enabled: false } } },
    });
    const target = { kind: "Deployment", namespace: ns.name, name: "nothing" };
    await kubectlApply(
      cluster!,
      handPlan(
        ns.name,
        "automation-off",
        [{ name: "scale", action: "ScaleWorkload", target, params: { replicas: 1 } }],
        { agentConfigRef: { name: "automation-off" } },
      ),
    );
    const p = await waitForPlan(cluster!, ns.name, "automation-off", ["Rejected"]);
    expect(condition(p, "PolicyAllowed")).toMatchObject({ status: "False", reason: "PolicyDenied" });
    expect(condition(p, "PolicyAllowed")?.message).toMatch(/AutomationDisabled/);
  });

  it("ends a plan nobody approves within approvalTTLSeconds Rejected/ApprovalExpired", async () => {
    await kubectlApply(cluster!, {
      ...agentConfig(ns.name, { approvalTTLSeconds: 60 }),
      metadata: { name: "short-ttl", namespace: ns.name },
    });
    const target = { kind: "Deployment", namespace: ns.name, name: "nothing" };
    await kubectlApply(
      cluster!,
      handPlan(
        ns.name,
        "ignored",
        [{ name: "scale", action: "ScaleWorkload", target, params: { replicas: 1 } }],
        {
          agentConfigRef: { name: "short-ttl" },
        },
      ),
    );
    await waitForPlan(cluster!, ns.name, "ignored", ["AwaitingApproval"]);
    const p = await waitForPlan(cluster!, ns.name, "ignored", ["Rejected"], 100_000);
    expect(condition(p, "Approved")).toMatchObject({ status: "False", reason: "ApprovalExpired" });
    expect(condition(p, "Ready")?.reason).toBe("ApprovalExpired");
  });
});
