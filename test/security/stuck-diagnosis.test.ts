// Finding 8 of the trust-boundaries review: a DiagnosisRun whose engine throws was retried
// forever, and phase Failed was declared but never written. Now a run ends Failed after a
// bounded number of attempts, or at once when its target does not exist, with a Warning
// Event, and its SreTask shows Failed.
import type { CoreV1Event } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { addDiagnosisRunController } from "../../controllers/diagnosisrun/controller.ts";
import { MAX_DIAGNOSIS_ATTEMPTS } from "../../controllers/diagnosisrun/failure.ts";
import { Manager } from "../../runtime/index.ts";
import { controlPlane, installCrds, itOnCluster, useNamespace } from "../support/cluster.ts";
import { eventually, startOperator, type OperatorProcess } from "../support/operator-process.ts";
import { createTask, readRun as readRunOf, readTask, sampleTask } from "../support/tasks.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);

const readRun = (namespace: string, name: string) => readRunOf(cluster!, namespace, name);

const warnings = async (namespace: string, name: string): Promise<CoreV1Event[]> =>
  (await cluster!.core.listNamespacedEvent({ namespace })).items.filter(
    (e) => e.involvedObject?.name === name && e.type === "Warning",
  );

describe("a DiagnosisRun that cannot complete ends Failed (finding 8)", () => {
  const ns = useNamespace(cluster, "stuck");
  let mgr: Manager | undefined;
  let operator: OperatorProcess | undefined;

  beforeAll(async () => {
    if (cluster) await installCrds(cluster);
  });
  afterAll(async () => {
    // stop() drains and closes; run() resolves only on a signal or a lost lease.
    await mgr?.stop();
    operator?.proc.kill("SIGTERM");
    await operator?.exited;
  });

  it("stops retrying an engine that throws: Failed after the bounded attempts, with an Event", async () => {
    let calls = 0;
    mgr = new Manager({
      kubeConfig: cluster!.kc,
      leaderElection: false,
      metricsPort: null,
      healthPort: null,
      signals: false,
    });
    addDiagnosisRunController(mgr, {
      namespace: ns.name,
      operatorNamespace: ns.name,
      engine: () => {
        calls += 1;
        throw new Error("engine exploded");
      },
    });
    void mgr.run();
    await cluster!.objects.create({
      apiVersion: "aisre.io/v1alpha1",
      kind: "DiagnosisRun",
      metadata: { name: "explodes", namespace: ns.name },
      spec: { taskRef: { name: "explodes" } },
    });
    const run = await eventually(async () => {
      const r = await readRun(ns.name, "explodes");
      return r.status?.phase === "Failed" && r;
    }, 60_000);
    expect(run.status?.attempts).toBe(MAX_DIAGNOSIS_ATTEMPTS);
    expect(calls).toBe(MAX_DIAGNOSIS_ATTEMPTS);
    const ready = run.status?.conditions?.find((c) => c.type === "Ready");
    expect(ready).toMatchObject({ status: "False", reason: "DiagnosisFailed" });
    expect(run.status?.message).toMatch(/failed 5 times; last error: engine exploded/);
    const events = await eventually(async () => {
      const found = await warnings(ns.name, "explodes");
      return found.length > 0 && found;
    });
    expect(events.map((e) => e.reason)).toContain("DiagnosisFailed");
    // Level-based: nothing runs the engine again once the run is Failed.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(calls).toBe(MAX_DIAGNOSIS_ATTEMPTS);
    await mgr.stop();
  });

  it("fails a task whose target does not exist, naming it, and the SreTask shows Failed", async () => {
    operator = startOperator(cluster!, {
      AISRE_WATCH_NAMESPACE: ns.name,
      AISRE_NAMESPACE: ns.name,
      AISRE_LEADER_ELECT: "false",
    });
    await operator.waitForLog(/Started workers/);
    // sampleTask targets Deployment/checkout, which this namespace does not have.
    await createTask(cluster!, sampleTask(ns.name, "ghost"));
    const task = await eventually(async () => {
      const t = await readTask(cluster!, ns.name, "ghost");
      return t.status?.phase === "Failed" && t;
    }, 60_000);
    expect(task.status?.conditions?.find((c) => c.type === "Diagnosed")?.reason).toBe("DiagnosisFailed");
    const run = await readRun(ns.name, "ghost");
    expect(run.status?.phase).toBe("Failed");
    expect(run.status?.message).toBe(`Deployment ${ns.name}/checkout does not exist`);
    const events = await eventually(async () => {
      const found = await warnings(ns.name, "ghost");
      return found.some((e) => e.reason === "TargetNotFound") && found;
    });
    expect(events.find((e) => e.reason === "TargetNotFound")?.message).toMatch(/does not exist/);
  });
});
