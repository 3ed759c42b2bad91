// What changed, live: a ConfigMap the pod reads is edited, then the pod starts failing; the
// root cause's change names the ConfigMap (docs/diagnosis.md §3.2). The operator's change
// journal sees the edit from its informer; the ConfigMap cache itself keeps no data.
import { AppsV1Api } from "@kubernetes/client-node";
import { describe, expect } from "vitest";
import { controlPlane, itOnCluster, kubectl, useNamespace } from "../support/cluster.ts";
import { servePodLogs } from "../support/kwok-logs.ts";
import { diagnoseDeployment, useDiagnosisOperator } from "../support/diagnosis-e2e.ts";
import { eventually } from "../support/operator-process.ts";
import { kwokDeployment } from "../support/workloads.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);

/** Resolves once the wall clock is in a later second than `t` plus `seconds` (managedFields keep seconds). */
async function afterSecond(t: number, seconds = 1): Promise<void> {
  const target = (Math.floor(t / 1000) + seconds + 1) * 1000;
  await new Promise((r) => setTimeout(r, Math.max(0, target - Date.now())));
}

describe("rootCause.change on the real control plane", () => {
  const ns = useNamespace(cluster, "change");
  const operator = useDiagnosisOperator(cluster, ns);

  let edited = 0;
  let podName = "";

  it("journals the ConfigMap edit the informer sees (a hash of the data, not the values)", async () => {
    await cluster!.core.createNamespacedConfigMap({
      namespace: ns.name,
      body: { metadata: { name: "api-config" }, data: { DATABASE_HOST: "orders-db", POOL_SIZE: "20" } },
    });
    const d = kwokDeployment("shop-api", { replicas: 1 });
    d.spec!.template.spec!.containers[0]!.envFrom = [{ configMapRef: { name: "api-config" } }];
    await cluster!.kc.makeApiClient(AppsV1Api).createNamespacedDeployment({ namespace: ns.name, body: d });
    const pod = await eventually(async () => {
      const pods = (
        await cluster!.core.listNamespacedPod({ namespace: ns.name, labelSelector: "app=shop-api" })
      ).items;
      return pods.find((p) => p.status?.containerStatuses?.[0]?.ready === true);
    }, 60_000);
    podName = pod.metadata!.name!;
    await afterSecond(Date.now());

    edited = Date.now();
    const patch = await kubectl(cluster!, [
      "-n",
      ns.name,
      "patch",
      "configmap",
      "api-config",
      "--type=merge",
      "-p",
      '{"data":{"POOL_SIZE":"-1"}}',
    ]);
    expect(patch.code).toBe(0);
    const rec = await eventually(async () =>
      operator.current!.logs.find((l) => l.msg === "Recorded a change" && l.kind === "ConfigMap"),
    );
    expect(rec).toMatchObject({
      namespace: ns.name,
      name: "api-config",
      fields: ["data"],
    });
    expect(JSON.stringify(operator.current!.logs)).not.toContain('"-1"');
  });

  it("names the ConfigMap edited shortly before the pod began failing", async () => {
    await afterSecond(edited);
    await servePodLogs(cluster!, ns.name, podName, {
      app: {
        previous:
          'level=info msg="starting shop-api"\nlevel=fatal msg="invalid configuration" err="POOL_SIZE must be positive, got -1"',
      },
    });
    // The container starts failing now, after the edit (kwok drives the pod's status).
    await kubectl(cluster!, [
      "-n",
      ns.name,
      "annotate",
      "pod",
      podName,
      "aisre.io/simulate=CrashLoopBackOff",
    ]);
    await eventually(async () => {
      const p = await cluster!.core.readNamespacedPod({ name: podName, namespace: ns.name });
      return p.status?.containerStatuses?.[0]?.state?.waiting?.reason === "CrashLoopBackOff";
    }, 60_000);

    const run = await diagnoseDeployment(cluster!, ns.name, "why-shop-api", "shop-api");
    const root = run.status?.rootCause as { change?: { kind: string; name: string; at: string } } | undefined;
    expect(root?.change).toMatchObject({ kind: "ConfigMap", name: "api-config" });
    const at = Date.parse(root!.change!.at);
    expect(at).toBeGreaterThanOrEqual(Math.floor(edited / 1000) * 1000);
    expect(at).toBeLessThan(Date.now());
  });
});
