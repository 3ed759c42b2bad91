import { describe, expect } from "vitest";
import { controlPlane, itOnCluster, useNamespace } from "../support/cluster.ts";
import { eventually } from "../support/operator-process.ts";
import {
  agentConfig,
  approveWithKubectl,
  deployment,
  handPlan,
  kubectlApply,
  readPlan,
  useOperator,
  waitForPlan,
} from "./support.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);

describe("exactly-once execution across kill -9, on the real control plane", () => {
  const ns = useNamespace(cluster, "once");
  const { state, start } = useOperator(cluster, ns);

  it("never executes a step twice when the operator is SIGKILLed while the step verifies", async () => {
    await kubectlApply(cluster!, agentConfig(ns.name));
    const apps = state.apps!;
    // minReadySeconds keeps new replicas unavailable for a while: verification takes ~20 s.
    await apps.createNamespacedDeployment({
      namespace: ns.name,
      body: deployment("slow", { replicas: 1, minReadySeconds: 20 }),
    });
    await eventually(async () => {
      const d = await apps.readNamespacedDeployment({ name: "slow", namespace: ns.name });
      return (d.status?.availableReplicas ?? 0) === 1;
    }, 60_000);
    const before = await apps.readNamespacedDeployment({ name: "slow", namespace: ns.name });
    const generation = before.metadata?.generation ?? 0;

    const first = await start();
    const target = { kind: "Deployment", namespace: ns.name, name: "slow" };
    await kubectlApply(
      cluster!,
      handPlan(ns.name, "scale-slow", [
        { name: "scale-up", action: "ScaleWorkload", target, params: { replicas: 3 } },
      ]),
    );
    await waitForPlan(cluster!, ns.name, "scale-slow", ["AwaitingApproval"]);
    await approveWithKubectl(cluster!, ns.name, "scale-slow");
    await eventually(async () => {
      const p = await readPlan(cluster!, ns.name, "scale-slow");
      return p.status?.steps?.[0]?.phase === "Verifying" && p;
    }, 60_000);
    first.proc.kill("SIGKILL");
    expect(await first.exited).toBe(137);
    const mid = await readPlan(cluster!, ns.name, "scale-slow");
    expect(mid.status?.phase).toBe("Running");
    expect(mid.status?.steps?.[0]).toMatchObject({
      phase: "Verifying",
      attempt: 1,
      undoState: { replicas: 1 },
    });

    const second = await start();
    const done = await waitForPlan(cluster!, ns.name, "scale-slow", ["Succeeded", "Failed", "RolledBack"]);
    expect(done.status?.phase).toBe("Succeeded");
    expect(done.status?.steps?.[0]).toMatchObject({ phase: "Succeeded", attempt: 1 });
    const after = await apps.readNamespacedDeployment({ name: "slow", namespace: ns.name });
    expect(after.spec?.replicas).toBe(3);
    // One scale: one generation bump. The restarted operator only verified.
    expect(after.metadata?.generation).toBe(generation + 1);
    expect(first.logs.filter((l) => l.msg === "Scaled workload")).toHaveLength(1);
    expect(second.logs.filter((l) => l.msg === "Scaled workload")).toHaveLength(0);
  });
});
