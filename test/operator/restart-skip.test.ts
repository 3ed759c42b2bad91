/**
 * A restart with many finished SreTasks on the real control plane: the finished ones are
 * skipped before the work queue (controllers/sretask/settled.ts), so the operator neither
 * writes to them nor queues them, and a new task goes straight through (docs/scaling.md).
 */
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { controlPlane, installCrds, itOnCluster, useNamespace } from "../support/cluster.ts";
import {
  eventually,
  startNamespaceOperator,
  stopOperator,
  type OperatorProcess,
} from "../support/operator-process.ts";
import { createSampleTarget, createTask, readTask, sampleTask } from "../support/tasks.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const FINISHED = 200;
const GVP = { group: "aisre.io", version: "v1alpha1", plural: "sretasks" };

/** A Diagnosed status as the operator leaves a finished Diagnose task. */
const diagnosedStatus = (generation: number) => {
  const at = new Date().toISOString();
  const cond = (type: string, reason: string) => ({
    type,
    status: "True",
    reason,
    message: reason,
    lastTransitionTime: at,
    observedGeneration: generation,
  });
  return {
    phase: "Diagnosed",
    observedGeneration: generation,
    startTime: at,
    completionTime: at,
    conditions: [cond("Accepted", "Accepted"), cond("Diagnosed", "RootCauseFound")],
  };
};

/** Runs fn(i) for i < n, 16 at a time. */
async function pool(n: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

describe("operator restart with many finished tasks", () => {
  const ns = useNamespace(cluster, "restart");
  let op: OperatorProcess | undefined;
  const versions = new Map<string, string>();

  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    await createSampleTarget(cluster, ns.name);
    const api = cluster.kc.makeApiClient(k8s.CustomObjectsApi);
    await pool(FINISHED, async (i) => {
      const created = (await createTask(cluster, sampleTask(ns.name, `done-${i}`))) as unknown as {
        metadata: { name: string; generation: number };
      };
      const body = { ...created, status: diagnosedStatus(created.metadata.generation) };
      const written = (await api.replaceNamespacedCustomObjectStatus({
        ...GVP,
        namespace: ns.name,
        name: created.metadata.name,
        body,
      })) as { metadata: { name: string; resourceVersion: string } };
      versions.set(written.metadata.name, written.metadata.resourceVersion);
    });
  }, 600_000);
  afterAll(async () => stopOperator(op));

  it(
    "neither queues nor touches the finished tasks, and diagnoses a new one",
    { timeout: 600_000 },
    async () => {
      await createTask(cluster!, sampleTask(ns.name, "fresh"));
      op = await startNamespaceOperator(cluster!, ns.name, { AISRE_METRICS_PORT: "0" });
      await eventually(async () => {
        const phase = (await readTask(cluster!, ns.name, "fresh")).status?.phase;
        return phase === "Diagnosed" || phase === "Failed";
      }, 300_000);

      // Not one of the finished tasks was queued: only "fresh" and its own follow-ups were.
      const port = Number((await op.waitForLog(/Serving metrics/)).port);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const adds = Number(/^workqueue_adds_total\{name="sretask"\} (\d+)/m.exec(metrics)?.[1]);
      expect(adds).toBeGreaterThan(0);
      expect(adds).toBeLessThan(FINISHED / 4);
      const api = cluster!.kc.makeApiClient(k8s.CustomObjectsApi);
      const list = (await api.listNamespacedCustomObject({ ...GVP, namespace: ns.name })) as {
        items: Array<{ metadata: { name: string; resourceVersion: string } }>;
      };
      const touched = list.items.filter(
        (t) => versions.has(t.metadata.name) && versions.get(t.metadata.name) !== t.metadata.resourceVersion,
      );
      expect(touched.map((t) => t.metadata.name)).toEqual([]);
    },
  );
});
