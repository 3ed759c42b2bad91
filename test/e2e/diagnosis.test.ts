import type { V1Pod } from "@kubernetes/client-node";
import { AppsV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { SreTask } from "../../crds/index.ts";
import { controlPlane, installCrds, itOnCluster, kubectl, useNamespace } from "../support/cluster.ts";
import {
  eventually,
  startNamespaceOperator,
  stopOperator,
  type OperatorProcess,
} from "../support/operator-process.ts";
import { createTask, readTask } from "../support/tasks.ts";
import { kwokDeployment } from "../support/workloads.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);

/** A Deployment of two kwok pods, driven into `simulate` when given. */
function deployment(name: string, opts: { simulate?: string; image?: string; cpu?: string } = {}) {
  const { cpu, ...rest } = opts;
  return kwokDeployment(name, {
    ...rest,
    resources: { requests: { cpu: cpu ?? "100m", memory: "64Mi" }, limits: { memory: "128Mi" } },
  });
}

describe("SreTask → DiagnosisRun → root cause, on the real control plane with kwok", () => {
  const ns = useNamespace(cluster, "e2e");
  let operator: OperatorProcess | undefined;
  let apps: AppsV1Api;

  const pods = async (app: string): Promise<V1Pod[]> =>
    (await cluster!.core.listNamespacedPod({ namespace: ns.name, labelSelector: `app=${app}` })).items;
  const waitForPods = (app: string, ok: (p: V1Pod) => boolean) =>
    eventually(async () => {
      const list = await pods(app);
      return list.length > 0 && list.every(ok);
    }, 60_000);
  const waiting = (reason: string) => (p: V1Pod) =>
    (p.status?.containerStatuses ?? []).some((c) => c.state?.waiting?.reason === reason);

  async function diagnoseTask(name: string, target: string): Promise<SreTask> {
    await createTask(cluster!, {
      apiVersion: "aisre.io/v1alpha1",
      kind: "SreTask",
      metadata: { name, namespace: ns.name },
      spec: {
        type: "Diagnose",
        source: "Manual",
        target: { kind: "Deployment", namespace: ns.name, name: target },
      },
    });
    return eventually(async () => {
      const t = await readTask(cluster!, ns.name, name);
      return t.status?.phase === "Diagnosed" && t;
    }, 60_000);
  }

  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    apps = cluster.kc.makeApiClient(AppsV1Api);
    operator = await startNamespaceOperator(cluster!, ns.name);
  });
  afterAll(async () => {
    await stopOperator(operator);
  });

  const cases = [
    { app: "checkout", simulate: "CrashLoopBackOff", waitFor: "CrashLoopBackOff", category: "CrashLoop" },
    { app: "cart", simulate: "OOMKilled", waitFor: "CrashLoopBackOff", category: "OOMKilled" },
    { app: "web", simulate: "ImagePullBackOff", waitFor: "ImagePullBackOff", category: "ImagePull" },
  ];
  for (const c of cases) {
    it(`finds ${c.category} on Deployment ${c.app}`, async () => {
      await apps.createNamespacedDeployment({
        namespace: ns.name,
        body: deployment(c.app, { simulate: c.simulate }),
      });
      await waitForPods(c.app, waiting(c.waitFor));
      const task = await diagnoseTask(`why-${c.app}`, c.app);
      expect(task.status?.rootCause?.category).toBe(c.category);
      expect(task.status?.rootCause?.resource).toMatchObject({
        kind: "Deployment",
        name: c.app,
        namespace: ns.name,
      });
    });
  }

  it("finds Unschedulable from the real scheduler's FailedScheduling", async () => {
    await apps.createNamespacedDeployment({ namespace: ns.name, body: deployment("batch", { cpu: "64" }) });
    await waitForPods(
      "batch",
      (p) => p.status?.conditions?.some((c) => c.reason === "Unschedulable") ?? false,
    );
    const task = await diagnoseTask("why-batch", "batch");
    expect(task.status?.rootCause?.category).toBe("Unschedulable");
    expect(task.status?.rootCause?.summary).toMatch(/cpu/i);
  });

  it("finds BadRollout when revision 2 crash-loops while revision 1 still serves", async () => {
    await apps.createNamespacedDeployment({ namespace: ns.name, body: deployment("api") });
    await waitForPods("api", (p) => p.status?.containerStatuses?.[0]?.ready === true);
    const v2 = deployment("api", { simulate: "CrashLoopBackOff", image: "registry.example.com/shop/api:v2" });
    await apps.replaceNamespacedDeployment({ name: "api", namespace: ns.name, body: v2 });
    await eventually(async () => (await pods("api")).some(waiting("CrashLoopBackOff")), 60_000);
    const task = await diagnoseTask("why-api", "api");
    expect(task.status?.rootCause?.category).toBe("BadRollout");
    expect(task.status?.rootCause?.resource).toMatchObject({ kind: "Deployment", name: "api" });

    const run = await kubectl(cluster!, ["-n", ns.name, "get", "diagnosisrun", "why-api", "-o", "json"]);
    const status = JSON.parse(run.stdout).status;
    expect(status.phase).toBe("Completed");
    expect(status.recommendations.map((r: { action: string }) => r.action)).toContain("RolloutUndo");

    expect(task.status?.classification).toMatchObject({ type: "Diagnose", method: "Rules" });
    const listed = await kubectl(cluster!, ["-n", ns.name, "get", "sretasks"]);
    expect(listed.stdout).toMatch(/why-api\s+Diagnose\s+api\s+Diagnosed\s+BadRollout/);
  });
});
