import type { V1Pod } from "@kubernetes/client-node";
import { describe, expect } from "vitest";
import { controlPlane, itOnCluster, kubectl, useNamespace } from "../support/cluster.ts";
import { eventually } from "../support/operator-process.ts";
import { createTask, readTask } from "../support/tasks.ts";
import {
  agentConfig,
  approveWithKubectl,
  deployment,
  kubectlApply,
  readPlan,
  useOperator,
} from "./support.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);

describe("SreTask remediation of a bad rollout, on the real control plane with kwok", () => {
  const ns = useNamespace(cluster, "rem");
  const { state, start } = useOperator(cluster, ns);

  const pods = async (app: string): Promise<V1Pod[]> =>
    (await cluster!.core.listNamespacedPod({ namespace: ns.name, labelSelector: `app=${app}` })).items;
  const crashing = (p: V1Pod) =>
    (p.status?.containerStatuses ?? []).some((c) => c.state?.waiting?.reason === "CrashLoopBackOff");

  it("goes Diagnosed → AwaitingApproval → (kubectl approval) → Remediating → Succeeded with v1 restored", async () => {
    await kubectlApply(cluster!, agentConfig(ns.name));
    const apps = state.apps!;
    await apps.createNamespacedDeployment({ namespace: ns.name, body: deployment("api") });
    await eventually(async () => {
      const list = await pods("api");
      return list.length === 2 && list.every((p) => p.status?.containerStatuses?.[0]?.ready === true);
    }, 60_000);
    const v2 = deployment("api", { simulate: "CrashLoopBackOff", image: "registry.example.com/shop/api:v2" });
    await apps.replaceNamespacedDeployment({ name: "api", namespace: ns.name, body: v2 });
    await eventually(async () => (await pods("api")).some(crashing), 60_000);

    await start();
    await createTask(cluster!, {
      apiVersion: "aisre.io/v1alpha1",
      kind: "SreTask",
      metadata: { name: "fix-api", namespace: ns.name },
      spec: {
        type: "Remediate",
        source: "Manual",
        description: "api crash-loops since the last deploy; roll it back",
        target: { kind: "Deployment", namespace: ns.name, name: "api" },
        remediation: { mode: "Approval" },
      },
    });
    const seen = new Set<string>();
    const watchPhase = async (want: string) =>
      eventually(async () => {
        const t = await readTask(cluster!, ns.name, "fix-api");
        if (t.status?.phase) seen.add(t.status.phase);
        return t.status?.phase === want && t;
      }, 90_000);

    const waiting = await watchPhase("AwaitingApproval");
    expect(waiting.status?.rootCause?.category).toBe("BadRollout");
    expect(waiting.status?.remediationPlanRef).toEqual({ name: "fix-api" });
    const plan = await readPlan(cluster!, ns.name, "fix-api");
    expect(plan.spec.steps.map((s) => s.action)).toEqual(["RolloutUndo"]);
    expect(plan.metadata.ownerReferences?.[0]).toMatchObject({ kind: "SreTask", name: "fix-api" });
    expect(plan.status?.phase).toBe("AwaitingApproval");
    expect(plan.status?.policy?.allowed).toBe(true);

    const approver = await approveWithKubectl(cluster!, ns.name, "fix-api");
    const done = await watchPhase("Succeeded");
    expect(done.status?.conditions?.find((c) => c.type === "Remediated")).toMatchObject({ status: "True" });
    expect(seen.has("Remediating") || seen.has("Succeeded")).toBe(true);

    const finished = await readPlan(cluster!, ns.name, "fix-api");
    expect(finished.status?.phase).toBe("Succeeded");
    expect(finished.status?.approval).toMatchObject({
      decision: "Approved",
      via: "Kubernetes",
      decidedBy: approver,
    });
    expect(finished.status?.approval?.specHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const step = finished.status?.steps?.[0];
    expect(step).toMatchObject({ name: "1-rollout-undo", phase: "Succeeded", attempt: 1 });
    expect(step?.dryRun?.passed).toBe(true);
    expect(step?.undoState).toMatchObject({ fromRevisionName: expect.any(String) });
    expect(step?.executedAt && step.startedAt && step.finishedAt).toBeTruthy();

    const d = await apps.readNamespacedDeployment({ name: "api", namespace: ns.name });
    expect(d.spec?.template.spec?.containers[0]?.image).toBe("registry.example.com/shop/api:v1");
    expect(d.spec?.template.metadata?.annotations?.["aisre.io/simulate"]).toBeUndefined();
    await eventually(async () => {
      const list = await pods("api");
      return list.length === 2 && list.every((p) => p.status?.containerStatuses?.[0]?.ready === true);
    }, 60_000);

    const listed = await kubectl(cluster!, ["-n", ns.name, "get", "remediationplans"]);
    expect(listed.stdout).toMatch(/fix-api\s.*Succeeded/);
    const events = await kubectl(cluster!, [
      "-n",
      ns.name,
      "get",
      "events",
      "--field-selector",
      "involvedObject.name=fix-api,involvedObject.kind=RemediationPlan",
      "-o",
      "jsonpath={.items[*].reason}",
    ]);
    expect(events.stdout.split(" ")).toEqual(
      expect.arrayContaining(["AwaitingApproval", "Approved", "DryRun", "Running", "Verifying", "Succeeded"]),
    );
  });
});
