/**
 * A start on a large cluster: the diagnosis caches' first list of every pod and Event takes
 * seconds there, and a task scoped to one namespace must not wait for it
 * (controllers/diagnosisrun/warm-up.ts, docs/scaling.md). The operator runs behind a holding
 * proxy (test/support/holding-proxy.ts) that holds its Pod cache's list for good, so that cache
 * never syncs: the task is still diagnosed, from the namespace read straight from the API server.
 */
import { afterAll, beforeAll, describe, expect } from "vitest";
import { controlPlane, installCrds, itOnCluster, useNamespace } from "../support/cluster.ts";
import type { HoldingProxy, ProxiedRequest } from "../support/holding-proxy.ts";
import { kubeUpstream, proxyKubeconfig, startHoldingProxy } from "../support/holding-proxy.ts";
import {
  eventually,
  startNamespaceOperator,
  stopOperator,
  type OperatorProcess,
} from "../support/operator-process.ts";
import { createTask, readTask, sampleTask } from "../support/tasks.ts";
import { kwokDeployment } from "../support/workloads.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);

/** A list (not a watch) of the namespace's pods. */
const isPodList = (namespace: string) => (r: ProxiedRequest) =>
  r.method === "GET" &&
  new RegExp(`^/api/v1/namespaces/${namespace}/pods(\\?|$)`).test(r.path) &&
  !/[?&]watch=(true|1)/.test(r.path);

describe("a diagnosis while the caches still list", () => {
  const ns = useNamespace(cluster, "warm");
  let proxy: HoldingProxy | undefined;
  let op: OperatorProcess | undefined;

  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    const crashing = kwokDeployment("checkout", { replicas: 1, simulate: "CrashLoopBackOff" });
    await cluster.objects.create({ ...crashing, metadata: { ...crashing.metadata, namespace: ns.name } });
  }, 120_000);
  afterAll(async () => {
    await stopOperator(op);
    await proxy?.close();
  });

  it(
    "diagnoses a task from the API server while the Pod cache cannot list",
    { timeout: 300_000 },
    async () => {
      // The pods crash-loop before the operator starts, as on a cluster it is restarted on.
      await eventually(async () => {
        const pods = await cluster!.core.listNamespacedPod({ namespace: ns.name });
        return pods.items.some((p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) > 0);
      }, 120_000);
      proxy = await startHoldingProxy(await kubeUpstream(cluster!.kc));
      proxy.hold({ name: "pod-cache-list", hold: "request", match: isPodList(ns.name) });
      op = await startNamespaceOperator(cluster!, ns.name, { KUBECONFIG: proxyKubeconfig(proxy) });
      const held = await proxy.waitForHeld("pod-cache-list", 60_000);
      expect(held.request.path).toMatch(/limit=/); // the informer's paginated list

      await createTask(cluster!, sampleTask(ns.name, "while-listing"));
      const task = await eventually(async () => {
        const t = await readTask(cluster!, ns.name, "while-listing");
        return t.status?.phase === "Diagnosed" && t;
      }, 120_000);
      expect(task.status?.rootCause?.category).toBe("CrashLoop");
      expect(task.status?.rootCause?.resource.name).toBe("checkout");

      // The Pod cache is still held: this diagnosis read the namespace from the API server.
      expect(proxy.held.find((h) => h.rule === "pod-cache-list")?.dropped).toBe(false);
      const completed = await op.waitForLog(/Completed DiagnosisRun/);
      expect(completed.fromApiServer).toBe(true);
      expect(proxy.forwarded.filter(isPodList(ns.name)).length).toBeGreaterThanOrEqual(1);
    },
  );
});
