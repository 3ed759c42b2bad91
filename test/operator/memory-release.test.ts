/**
 * The operator gives the heap pages V8 pooled back to the system once idle
 * (runtime/memory-release.ts): `aisre operator` as a user starts it (the launcher adds
 * --expose-gc), AISRE_MEMORY_RELEASE_IDLE_SECONDS=1. Its start-up leaves freed pages resident; the
 * first idle second releases them, /metrics counts it, and a task is still diagnosed after it.
 */
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

describe("idle memory release", () => {
  const ns = useNamespace(cluster, "memrel");
  let op: OperatorProcess | undefined;

  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    await createSampleTarget(cluster, ns.name);
  }, 120_000);
  afterAll(() => stopOperator(op));

  it(
    "releases freed heap once idle, counts it in /metrics, and keeps diagnosing",
    { timeout: 180_000 },
    async () => {
      op = await startNamespaceOperator(cluster!, ns.name, { AISRE_MEMORY_RELEASE_IDLE_SECONDS: "1" });
      const released = await op.waitForLog(/Released idle memory/, 60_000);
      const started = op.logs.findIndex((l) => /Started workers/.test(String(l.msg)));
      expect(started).toBeGreaterThanOrEqual(0);
      expect(op.logs.indexOf(released)).toBeGreaterThan(started); // not during the start
      expect(Number(released.rssAfterMiB)).toBeLessThan(Number(released.rssBeforeMiB));

      const port = Number((await op.waitForLog(/Serving metrics/)).port);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(Number(/^aisre_memory_releases_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
      expect(Number(/^aisre_memory_released_bytes_total (\S+)/m.exec(metrics)?.[1])).toBeGreaterThan(0);

      await createTask(cluster!, sampleTask(ns.name, "after-release"));
      const task = await eventually(async () => {
        const t = await readTask(cluster!, ns.name, "after-release");
        return t.status?.phase === "Diagnosed" && t;
      }, 120_000);
      expect(task.status?.diagnosisRunRef).toBeDefined();
    },
  );
});
