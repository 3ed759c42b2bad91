import type { CoreV1Event } from "@kubernetes/client-node";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, beforeAll, describe, expect } from "vitest";
import { controlPlane, installCrds, itOnCluster, kubectl, useNamespace } from "../support/cluster.ts";
import { eventually, startOperator, type OperatorProcess } from "../support/operator-process.ts";
import { accepted, createSampleTarget, createTask, readTask, sampleTask } from "../support/tasks.ts";

const run = promisify(execFile);
const cluster = controlPlane();
const it = itOnCluster(cluster);

describe("aisre operator on the real control plane", () => {
  const ns = useNamespace(cluster, "op");
  const running: OperatorProcess[] = [];
  const operator = (env: Record<string, string> = {}): OperatorProcess => {
    const p = startOperator(cluster!, { AISRE_WATCH_NAMESPACE: ns.name, AISRE_NAMESPACE: ns.name, ...env });
    running.push(p);
    return p;
  };

  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    await createSampleTarget(cluster, ns.name);
  });
  afterEach(async () => {
    for (const p of running.splice(0)) {
      if (p.proc.exitCode === null) p.proc.kill("SIGKILL");
      await p.exited;
    }
  });

  it("accepts an SreTask: phase, conditions, observedGeneration and an Event", async () => {
    const op = operator();
    await op.waitForLog(/Started workers/);
    await createTask(cluster!, sampleTask(ns.name, "accept-me"));
    const task = await eventually(async () => {
      const t = await readTask(cluster!, ns.name, "accept-me");
      return accepted(t) && t;
    });
    // The pipeline moves on at once (classification, diagnosis); acceptance stays recorded.
    expect(["Accepted", "Diagnosing", "Diagnosed"]).toContain(task.status?.phase);
    expect(task.status?.startTime).toBeTruthy();
    // Events are written after the status, without holding the worker: poll for it.
    const acceptedEvent = await eventually(async () => {
      const events = await kubectl(cluster!, ["-n", ns.name, "get", "events", "-o", "json"]);
      const items = (JSON.parse(events.stdout) as { items: CoreV1Event[] }).items;
      return items.find((e) => e.involvedObject?.name === "accept-me" && e.reason === "Accepted");
    });
    expect(acceptedEvent?.message).toMatch(/^Accepted /);
    // A fresh discovery cache: kubectl's disk cache is keyed by host:port, and a control plane
    // started earlier on the same port (without these CRDs) left "aisre" resolving to nothing.
    const cacheDir = await mkdtemp(path.join(tmpdir(), "kubectl-cache-"));
    const listed = await kubectl(cluster!, ["get", "aisre", "-n", ns.name, "--cache-dir", cacheDir]);
    await rm(cacheDir, { recursive: true, force: true });
    expect(listed.stdout).toMatch(/sretask\.aisre\.io\/accept-me\s.*(Accepted|Diagnosing|Diagnosed)/);
  });

  // Leader election off: a restart longer than the 10 s renew deadline would (rightly) make
  // a leader exit 1 for its Deployment to restart it; this test is about the watch itself.
  it("keeps watching across a kube-apiserver restart", async () => {
    const op = operator({ AISRE_LEADER_ELECT: "false" });
    await op.waitForLog(/Started workers/);
    await createTask(cluster!, sampleTask(ns.name, "before-restart"));
    await eventually(async () => accepted(await readTask(cluster!, ns.name, "before-restart")));
    await run("bash", ["hack/control-plane.sh", "restart-apiserver"], { timeout: 180_000 });
    await createTask(cluster!, sampleTask(ns.name, "after-restart"));
    await eventually(async () => accepted(await readTask(cluster!, ns.name, "after-restart")), 60_000);
    expect(op.proc.exitCode).toBeNull();
  });

  it("loses nothing when SIGTERM arrives mid-reconcile: a new process finishes the work", async () => {
    const first = operator({ AISRE_MAX_CONCURRENT_RECONCILES: "1" });
    await first.waitForLog(/Started workers/);
    const names = Array.from({ length: 25 }, (_, i) => `burst-${i}`);
    await Promise.all(names.map((n) => createTask(cluster!, sampleTask(ns.name, n))));
    await first.waitForLog(/Accepted SreTask/);
    first.proc.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    const second = operator();
    await second.waitForLog(/Started workers/);
    await eventually(async () => {
      const all = await Promise.all(names.map((n) => readTask(cluster!, ns.name, n)));
      return all.every(accepted);
    }, 60_000);
  });

  it("elects one leader of two processes and fails over within 20 s when the leader is killed", async () => {
    const lease = { AISRE_LEASE_NAME: "failover-test" };
    const a = operator(lease);
    const b = operator(lease);
    const first = await Promise.race([
      a.waitForLog(/Became leader/).then(() => a),
      b.waitForLog(/Became leader/).then(() => b),
    ]);
    const standby = first === a ? b : a;
    await new Promise((r) => setTimeout(r, 3_000));
    expect(standby.logs.some((l) => /Became leader/.test(String(l.msg)))).toBe(false);
    const killedAt = Date.now();
    first.proc.kill("SIGKILL");
    await standby.waitForLog(/Became leader/, 25_000);
    const failoverMs = Date.now() - killedAt;
    console.log(`leader failover after kill -9: ${failoverMs} ms`);
    expect(failoverMs).toBeLessThan(20_000);
    await createTask(cluster!, sampleTask(ns.name, "after-failover"));
    await eventually(async () => accepted(await readTask(cluster!, ns.name, "after-failover")));
  });
});
