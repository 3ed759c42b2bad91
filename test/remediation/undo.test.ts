import { describe, expect } from "vitest";
import { controlPlane, itOnCluster, kubectl, useNamespace } from "../support/cluster.ts";
import { eventually } from "../support/operator-process.ts";
import {
  agentConfig,
  approveWithKubectl,
  deployment,
  handPlan,
  kubectlApply,
  useOperator,
  waitForPlan,
} from "./support.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);

describe("undo on failed verification, on the real control plane", () => {
  const ns = useNamespace(cluster, "undo");
  const { state, start } = useOperator(cluster, ns);

  it("scales a Deployment whose pods never start (ImagePullBackOff), fails verification, and restores the replicas", async () => {
    await kubectlApply(cluster!, agentConfig(ns.name));
    const apps = state.apps!;
    await apps.createNamespacedDeployment({
      namespace: ns.name,
      body: deployment("flaky", { replicas: 1, simulate: "ImagePullBackOff" }),
    });
    await start();
    const target = { kind: "Deployment", namespace: ns.name, name: "flaky" };
    await kubectlApply(
      cluster!,
      handPlan(
        ns.name,
        "scale-flaky",
        [{ name: "scale-up", action: "ScaleWorkload", target, params: { replicas: 2 } }],
        {
          undoOnFailure: true,
          verification: { timeoutSeconds: 10 },
        },
      ),
    );
    await waitForPlan(cluster!, ns.name, "scale-flaky", ["AwaitingApproval"]);
    await approveWithKubectl(cluster!, ns.name, "scale-flaky");
    const done = await waitForPlan(cluster!, ns.name, "scale-flaky", ["RolledBack", "Failed", "Succeeded"]);
    expect(done.status?.phase, JSON.stringify(done.status, null, 1)).toBe("RolledBack");
    expect(done.status?.steps?.[0]).toMatchObject({ phase: "Undone", undoState: { replicas: 1 } });
    expect(done.status?.conditions?.find((c) => c.type === "Verified")).toMatchObject({
      status: "False",
      reason: "VerificationFailed",
    });
    expect(done.status?.conditions?.find((c) => c.type === "Ready")).toMatchObject({ reason: "RolledBack" });
    await eventually(async () => {
      const d = await apps.readNamespacedDeployment({ name: "flaky", namespace: ns.name });
      return d.spec?.replicas === 1;
    });
    const listed = await kubectl(cluster!, ["-n", ns.name, "get", "remediationplans"]);
    expect(listed.stdout).toMatch(/scale-flaky\s.*RolledBack/);
  });
});
