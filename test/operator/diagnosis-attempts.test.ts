// A DiagnosisRun created while the operator runs is diagnosed with one status write (issue 16:
// the `Running` write that counts attempts is skipped on its first attempt), while a run an
// earlier process left unfinished still gets its attempt written before the engine starts, so a
// run that crashes the operator keeps ending Failed (test/security/stuck-diagnosis.test.ts).
import * as k8s from "@kubernetes/client-node";
import { afterEach, beforeAll, describe, expect } from "vitest";
import { diagnose } from "../../agents/diagnosis/diagnose.ts";
import { addDiagnosisRunController } from "../../controllers/diagnosisrun/controller.ts";
import type { DiagnosisRun } from "../../crds/index.ts";
import { DIAGNOSISRUN } from "../../crds/resources.ts";
import { Manager } from "../../runtime/index.ts";
import { controlPlane, installCrds, itOnCluster, useNamespace } from "../support/cluster.ts";
import { eventually } from "../support/operator-process.ts";
import { readRun as readRunOf } from "../support/tasks.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);

const readRun = (namespace: string, name: string) => readRunOf(cluster!, namespace, name);

/** The run once Completed. */
const completed = (namespace: string, name: string): Promise<DiagnosisRun> =>
  eventually(async () => {
    const r = await readRun(namespace, name);
    return r.status?.phase === "Completed" && r;
  }, 30_000);

const createRun = (namespace: string, name: string) =>
  cluster!.objects.create({
    apiVersion: "aisre.io/v1alpha1",
    kind: "DiagnosisRun",
    metadata: { name, namespace },
    spec: { taskRef: { name } },
  });

/** Every status phase the API server stores for the namespace's runs from now on, in order, per run. */
async function watchPhases(namespace: string) {
  const seen = new Map<string, string[]>();
  const path = `/apis/aisre.io/v1alpha1/namespaces/${namespace}/diagnosisruns`;
  // Watching from a list's resourceVersion: every later change arrives, however slow the watch is to open.
  const list = await cluster!.objects.list("aisre.io/v1alpha1", "DiagnosisRun", namespace);
  const req = await new k8s.Watch(cluster!.kc).watch(
    path,
    { resourceVersion: list.metadata?.resourceVersion },
    (_type: string, run: DiagnosisRun) => {
      const phases = seen.get(run.metadata.name ?? "") ?? [];
      phases.push(run.status?.phase ?? "");
      seen.set(run.metadata.name ?? "", phases);
    },
    () => undefined,
  );
  return { seen, stop: () => req.abort() };
}

/** A manager running the DiagnosisRun controller with `engine`, its runs' cache listed. */
async function running(namespace: string, engine: typeof diagnose, managers: Manager[]): Promise<Manager> {
  const mgr = manager(namespace, engine);
  managers.push(mgr);
  void mgr.run();
  await mgr.informer(DIAGNOSISRUN, { namespace }).waitForSync();
  return mgr;
}

function manager(namespace: string, engine: typeof diagnose): Manager {
  const mgr = new Manager({
    kubeConfig: cluster!.kc,
    leaderElection: false,
    metricsPort: null,
    healthPort: null,
    signals: false,
  });
  addDiagnosisRunController(mgr, { namespace, operatorNamespace: namespace, engine });
  return mgr;
}

describe("DiagnosisRun attempts and the Running write", () => {
  const ns = useNamespace(cluster, "attempts");
  const managers: Manager[] = [];
  beforeAll(async () => {
    if (cluster) await installCrds(cluster);
  });
  // Each test's managers stop after it, passed or not, so none diagnoses the next test's runs.
  afterEach(async () => {
    await Promise.all(managers.splice(0).map((m) => m.stop()));
  });

  it("completes a run created while it runs in one status write, counting the attempt", async () => {
    const phases = await watchPhases(ns.name);
    let calls = 0;
    await running(
      ns.name,
      (...args) => {
        calls += 1;
        return diagnose(...args);
      },
      managers,
    );
    await createRun(ns.name, "fresh");
    const run = await completed(ns.name, "fresh");
    expect(run.status?.attempts).toBe(1);
    expect(run.status?.startTime).toBeTruthy();
    expect(run.status?.observedGeneration).toBe(run.metadata.generation);
    expect(calls).toBe(1);
    await eventually(async () => (phases.seen.get("fresh") ?? []).includes("Completed"));
    // Created, then Completed: no Running in between.
    expect(phases.seen.get("fresh")).toEqual(["", "Completed"]);
    phases.stop();
  });

  it("counts a skipped attempt when the engine fails and the run is retried", async () => {
    let calls = 0;
    await running(
      ns.name,
      (...args) => {
        calls += 1;
        if (calls === 1) throw new Error("first attempt failed");
        return diagnose(...args);
      },
      managers,
    );
    await createRun(ns.name, "retried");
    const run = await completed(ns.name, "retried");
    expect(calls).toBe(2);
    expect(run.status?.attempts).toBe(2);
  });

  it("writes Running before each attempt at a run an earlier process left unfinished", async () => {
    let firstCalls = 0;
    const first: Manager = manager(ns.name, () => {
      firstCalls += 1;
      // The process goes away mid-diagnosis: its unwritten attempt is lost with it.
      void first.stop();
      throw new Error("the operator stopped");
    });
    managers.push(first);
    void first.run();
    await first.informer(DIAGNOSISRUN, { namespace: ns.name }).waitForSync();
    await createRun(ns.name, "orphan");
    await eventually(async () => firstCalls === 1);
    await first.stop();
    expect((await readRun(ns.name, "orphan")).status?.phase).toBeUndefined();

    const phases = await watchPhases(ns.name);
    await running(ns.name, diagnose, managers);
    const run = await completed(ns.name, "orphan");
    expect(firstCalls).toBe(1);
    expect(run.status?.attempts).toBe(1);
    await eventually(async () => (phases.seen.get("orphan") ?? []).includes("Completed"));
    expect(phases.seen.get("orphan")).toEqual(["Running", "Completed"]);
    phases.stop();
  });
});
