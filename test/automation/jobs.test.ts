import * as k8s from "@kubernetes/client-node";
import { describe, expect } from "vitest";
import { catalog } from "../../agents/automation/catalog.ts";
import { RERUN_OF } from "../../agents/automation/job-templates.ts";
import { controlPlane, itOnCluster, useNamespace } from "../support/cluster.ts";
import type { TestCluster } from "../support/cluster.ts";
import { step, useAutomationIdentity, verifyUntilDone, waitFor } from "./support.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const ns = useNamespace(cluster, "auto-job");
const id = useAutomationIdentity(cluster);
const batch = () => (cluster as TestCluster).kc.makeApiClient(k8s.BatchV1Api);
const podSpec = (annotations?: Record<string, string>): k8s.V1PodTemplateSpec => ({
  metadata: { annotations },
  spec: { restartPolicy: "Never", containers: [{ name: "task", image: "example.com/task:v1" }] },
});
const jobNames = async () =>
  (await batch().listNamespacedJob({ namespace: ns.name })).items.map((j) => j.metadata?.name).sort();

describe("Job and CronJob actions against the real control plane", () => {
  it("RerunJob refuses a Job still running", async () => {
    // A pod that never turns Ready keeps the Job running.
    await batch().createNamespacedJob({
      namespace: ns.name,
      body: {
        metadata: { name: "busy" },
        spec: { backoffLimit: 0, template: podSpec({ "aisre.io/simulate": "NotReady" }) },
      },
    });
    const rerun = catalog.get("RerunJob")!;
    const s = step("RerunJob", { kind: "Job", namespace: ns.name, name: "busy" });
    expect(await rerun.preconditions(id.ctx, s)).toEqual([expect.stringContaining("is still running")]);
    expect(await rerun.dryRun(id.ctx, s)).toMatchObject({ passed: false });
  });

  it("RerunJob from a finished Job: dry run creates nothing, execute creates a clean copy that completes, undo deletes it", async () => {
    await batch().createNamespacedJob({
      namespace: ns.name,
      body: { metadata: { name: "report" }, spec: { template: podSpec() } },
    });
    const read = (name: string) => batch().readNamespacedJob({ name, namespace: ns.name });
    await waitFor("report completed", async () => (await read("report")).status?.succeeded === 1);
    const rerun = catalog.get("RerunJob")!;
    const { ctx } = id;
    const s = step("RerunJob", { kind: "Job", namespace: ns.name, name: "report" });
    expect(await rerun.preconditions(ctx, s)).toEqual([]);
    const before = await jobNames();
    expect(await rerun.dryRun(ctx, s)).toMatchObject({ passed: true });
    expect(await jobNames()).toEqual(before);

    const done = await rerun.execute(ctx, s);
    const name = String(done.undoState.job);
    expect(name).toMatch(/^report-rerun-[0-9a-z]+$/);
    const copy = await read(name);
    expect(copy.metadata?.annotations?.[RERUN_OF]).toBe("Job/report");
    expect(copy.spec?.template.metadata?.labels?.["batch.kubernetes.io/job-name"]).toBe(name);
    expect(await verifyUntilDone(rerun, ctx, s, done.undoState)).toMatchObject({ ok: true });

    await rerun.undo(ctx, s, done.undoState);
    await waitFor("rerun deleted", async () => !(await jobNames()).includes(name));
  });

  it("RerunJob from a CronJob and SuspendCronJob: dry run, execute, verify, undo", async () => {
    await batch().createNamespacedCronJob({
      namespace: ns.name,
      body: {
        metadata: { name: "nightly" },
        spec: {
          schedule: "0 3 * * *",
          jobTemplate: { metadata: { labels: { team: "data" } }, spec: { template: podSpec() } },
        },
      },
    });
    const { ctx } = id;
    const rerun = catalog.get("RerunJob")!;
    const fromCron = step("RerunJob", { kind: "CronJob", namespace: ns.name, name: "nightly" });
    expect(await rerun.dryRun(ctx, fromCron)).toMatchObject({ passed: true });
    const done = await rerun.execute(ctx, fromCron);
    const job = await batch().readNamespacedJob({ name: String(done.undoState.job), namespace: ns.name });
    expect(job.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: "CronJob",
      name: "nightly",
      controller: true,
    });
    expect(job.metadata?.labels?.team).toBe("data");
    expect(job.metadata?.annotations?.["cronjob.kubernetes.io/instantiate"]).toBe("manual");
    expect(await verifyUntilDone(rerun, ctx, fromCron, done.undoState)).toMatchObject({ ok: true });
    await rerun.undo(ctx, fromCron, done.undoState);

    const suspend = catalog.get("SuspendCronJob")!;
    const s = step("SuspendCronJob", { kind: "CronJob", namespace: ns.name, name: "nightly" });
    const suspended = async () =>
      (await batch().readNamespacedCronJob({ name: "nightly", namespace: ns.name })).spec?.suspend;
    expect(await suspend.preconditions(ctx, s)).toEqual([]);
    expect(await suspend.dryRun(ctx, s)).toMatchObject({ passed: true });
    expect(await suspended()).toBe(false);
    const paused = await suspend.execute(ctx, s);
    expect(paused.undoState).toEqual({ wasSuspended: false });
    expect(await suspended()).toBe(true);
    expect(await suspend.verify(ctx, s, paused.undoState)).toMatchObject({ done: true, ok: true });
    await suspend.undo(ctx, s, paused.undoState);
    expect(await suspended()).toBe(false);
  });
});
