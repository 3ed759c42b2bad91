import * as k8s from "@kubernetes/client-node";
import { describe, expect } from "vitest";
import { ActionFailedError } from "../../agents/automation/action.ts";
import { catalog } from "../../agents/automation/catalog.ts";
import { RESTARTED_AT } from "../../agents/automation/actions/rollout-restart.ts";
import { controlPlane, itOnCluster, useNamespace } from "../support/cluster.ts";
import type { TestCluster } from "../support/cluster.ts";
import {
  createReadyDeployment,
  deployment,
  step,
  useAutomationIdentity,
  verifyUntilDone,
  waitFor,
} from "./support.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const ns = useNamespace(cluster, "auto-wl");
const id = useAutomationIdentity(cluster);
const admin = () => (cluster as TestCluster).kc.makeApiClient(k8s.AppsV1Api);
const deploy = (name: string) => ({ kind: "Deployment", namespace: ns.name, name });
const read = (name: string) => admin().readNamespacedDeployment({ name, namespace: ns.name });
const action = (name: string) => catalog.get(name)!;

describe("Kubernetes workload actions against the real control plane", () => {
  it("ScaleWorkload: dry run changes nothing, execute scales, verify waits for replicas, undo restores", async () => {
    await createReadyDeployment(cluster!, ns.name, deployment("scale", { replicas: 2 }));
    const scale = action("ScaleWorkload");
    const s = step("ScaleWorkload", deploy("scale"), { replicas: 3 });
    const { ctx } = id;
    expect(await scale.preconditions(ctx, s)).toEqual([]);
    expect(await scale.blastRadius(ctx, s)).toEqual({ pods: [], instances: [] });
    const down = await scale.blastRadius(ctx, step("ScaleWorkload", deploy("scale"), { replicas: 1 }));
    expect(down.pods).toHaveLength(1);

    const dry = await scale.dryRun(ctx, s);
    expect(dry).toMatchObject({ passed: true });
    expect((await read("scale")).spec?.replicas).toBe(2);

    const done = await scale.execute(ctx, s);
    expect(done.undoState).toEqual({ replicas: 2 });
    expect(await verifyUntilDone(scale, ctx, s, done.undoState)).toMatchObject({ ok: true });
    expect((await read("scale")).status?.availableReplicas).toBe(3);

    await scale.undo(ctx, s, done.undoState);
    await waitFor("scaled back", async () => (await read("scale")).status?.replicas === 2);
    expect((await read("scale")).spec?.replicas).toBe(2);
  });

  it("ScaleWorkload: bad params and an HPA-managed target are precondition problems; the API server's refusal fails the dry run", async () => {
    const scale = action("ScaleWorkload");
    const { ctx } = id;
    expect(await scale.preconditions(ctx, step("ScaleWorkload", deploy("scale"), { replicas: -1 }))).toEqual([
      expect.stringContaining("params.replicas"),
    ]);
    expect(await scale.preconditions(ctx, step("ScaleWorkload", deploy("missing"), { replicas: 1 }))).toEqual(
      [expect.stringContaining("not found")],
    );
    const sets = await admin().listNamespacedReplicaSet({ namespace: ns.name, labelSelector: "app=scale" });
    const owned = { kind: "ReplicaSet", namespace: ns.name, name: sets.items[0]!.metadata!.name! };
    expect(await scale.preconditions(ctx, step("ScaleWorkload", owned, { replicas: 5 }))).toEqual([
      expect.stringContaining("is managed by Deployment scale; scale that instead"),
    ]);
    const missing = await scale.dryRun(ctx, step("ScaleWorkload", deploy("missing"), { replicas: 1 }));
    expect(missing.passed).toBe(false);
    const autoscaling = cluster!.kc.makeApiClient(k8s.AutoscalingV2Api);
    await autoscaling.createNamespacedHorizontalPodAutoscaler({
      namespace: ns.name,
      body: {
        metadata: { name: "scale" },
        spec: {
          scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "scale" },
          minReplicas: 1,
          maxReplicas: 4,
        },
      },
    });
    const problems = await scale.preconditions(ctx, step("ScaleWorkload", deploy("scale"), { replicas: 3 }));
    expect(problems).toEqual([expect.stringContaining("use PatchHPA")]);
  });

  it("PatchHPA: dry run changes nothing, execute sets the bounds, verify sees replicas inside them, undo restores", async () => {
    const hpa = action("PatchHPA");
    const autoscaling = cluster!.kc.makeApiClient(k8s.AutoscalingV2Api);
    const target = { kind: "HorizontalPodAutoscaler", namespace: ns.name, name: "scale" };
    const s = step("PatchHPA", target, { minReplicas: 2, maxReplicas: 6 });
    const { ctx } = id;
    const readHpa = () =>
      autoscaling.readNamespacedHorizontalPodAutoscaler({ name: "scale", namespace: ns.name });
    expect(await hpa.preconditions(ctx, s)).toEqual([]);
    expect(await hpa.preconditions(ctx, step("PatchHPA", target, { minReplicas: 9 }))).toEqual([
      "minReplicas 9 would exceed maxReplicas 4",
    ]);
    expect(await hpa.dryRun(ctx, s)).toMatchObject({ passed: true });
    expect((await readHpa()).spec).toMatchObject({ minReplicas: 1, maxReplicas: 4 });

    const done = await hpa.execute(ctx, s);
    expect(done.undoState).toEqual({ minReplicas: 1, maxReplicas: 4 });
    expect((await readHpa()).spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    expect(await verifyUntilDone(hpa, ctx, s, done.undoState)).toMatchObject({ ok: true });

    await hpa.undo(ctx, s, done.undoState);
    expect((await readHpa()).spec).toMatchObject({ minReplicas: 1, maxReplicas: 4 });
    await autoscaling.deleteNamespacedHorizontalPodAutoscaler({ name: "scale", namespace: ns.name });
  });

  it("RolloutRestart: dry run changes nothing, execute stamps restartedAt and rolls every pod, verify waits for the rollout", async () => {
    const before = await createReadyDeployment(cluster!, ns.name, deployment("restart", { replicas: 2 }));
    const restart = action("RolloutRestart");
    const s = step("RolloutRestart", deploy("restart"));
    const { ctx } = id;
    expect((await restart.blastRadius(ctx, s)).pods).toHaveLength(2);
    expect(await restart.dryRun(ctx, s)).toMatchObject({ passed: true });
    expect((await read("restart")).metadata?.generation).toBe(before.metadata?.generation);

    const done = await restart.execute(ctx, s);
    const after = await read("restart");
    expect(after.spec?.template.metadata?.annotations?.[RESTARTED_AT]).toBe(done.undoState.restartedAt);
    expect(await verifyUntilDone(restart, ctx, s, done.undoState)).toMatchObject({ ok: true });
    expect(restart.undoable).toBe(false);
    expect((await restart.undo(ctx, s, done.undoState)).message).toContain("nothing to undo");
  });

  it("SetResources: dry run changes nothing, execute sets the limit and rolls, undo restores the resources exactly", async () => {
    await createReadyDeployment(cluster!, ns.name, deployment("res", { replicas: 1 }));
    const set = action("SetResources");
    const s = step("SetResources", deploy("res"), {
      container: "app",
      memory: "256Mi",
      requests: { cpu: "20m" },
    });
    const { ctx } = id;
    const resources = async () => (await read("res")).spec?.template.spec?.containers[0]?.resources;
    const original = await resources();
    expect(await set.preconditions(ctx, s)).toEqual([]);
    expect(
      await set.preconditions(ctx, step("SetResources", deploy("res"), { container: "nope", memory: "1Gi" })),
    ).toEqual([expect.stringContaining("container nope not found")]);
    // The API server validates: requests above limits are refused in the dry run.
    const invalid = await set.dryRun(
      ctx,
      step("SetResources", deploy("res"), { container: "app", memory: "8Mi" }),
    );
    expect(invalid.passed).toBe(false);
    expect(invalid.message).toMatch(/must be less than or equal to memory limit/);
    expect(await set.dryRun(ctx, s)).toMatchObject({ passed: true });
    expect(await resources()).toEqual(original);

    const done = await set.execute(ctx, s);
    expect(await resources()).toEqual({
      requests: { cpu: "20m", memory: "16Mi" },
      limits: { memory: "256Mi" },
    });
    expect(await verifyUntilDone(set, ctx, s, done.undoState)).toMatchObject({ ok: true });
    await set.undo(ctx, s, done.undoState);
    expect(await resources()).toEqual(original);
    expect(await verifyUntilDone(set, ctx, s, done.undoState)).toMatchObject({ ok: true });
  });

  it("DeletePod: refuses a bare pod, dry run keeps the pod, execute deletes it and verify waits for the replacement", async () => {
    const del = action("DeletePod");
    const { ctx } = id;
    const core = cluster!.core;
    await core.createNamespacedPod({
      namespace: ns.name,
      body: {
        metadata: { name: "bare" },
        spec: { containers: [{ name: "app", image: "example.com/app:v1" }] },
      },
    });
    const bare = step("DeletePod", { kind: "Pod", namespace: ns.name, name: "bare" });
    expect(await del.preconditions(ctx, bare)).toEqual([expect.stringContaining("has no controller")]);
    expect(await del.dryRun(ctx, bare)).toMatchObject({ passed: false });
    await expect(del.execute(ctx, bare)).rejects.toBeInstanceOf(ActionFailedError);
    await core.readNamespacedPod({ name: "bare", namespace: ns.name });

    const pods = await core.listNamespacedPod({ namespace: ns.name, labelSelector: "app=res" });
    const victim = pods.items.find((p) => !p.metadata?.deletionTimestamp)!;
    const s = step("DeletePod", { kind: "Pod", namespace: ns.name, name: victim.metadata!.name! });
    expect(await del.preconditions(ctx, s)).toEqual([]);
    expect(await del.blastRadius(ctx, s)).toEqual({
      pods: [`${ns.name}/${victim.metadata!.name}`],
      instances: [],
    });
    expect(await del.dryRun(ctx, s)).toMatchObject({ passed: true });
    expect(
      (await core.readNamespacedPod({ name: victim.metadata!.name!, namespace: ns.name })).metadata?.uid,
    ).toBe(victim.metadata?.uid);

    const done = await del.execute(ctx, s);
    expect(done.undoState).toMatchObject({ uid: victim.metadata?.uid, owner: { kind: "ReplicaSet" } });
    expect(await verifyUntilDone(del, ctx, s, done.undoState)).toMatchObject({ ok: true });
    const now = await core.listNamespacedPod({ namespace: ns.name, labelSelector: "app=res" });
    expect(now.items.map((p) => p.metadata?.uid)).not.toContain(victim.metadata?.uid);
  });
});
