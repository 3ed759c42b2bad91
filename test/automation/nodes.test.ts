import { randomBytes } from "node:crypto";
import * as k8s from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { ActionFailedError } from "../../agents/automation/action.ts";
import { catalog } from "../../agents/automation/catalog.ts";
import { controlPlane, itOnCluster, useNamespace } from "../support/cluster.ts";
import {
  createKwokNode,
  createReadyDeployment,
  deployment,
  step,
  useAutomationIdentity,
  verifyUntilDone,
  waitFor,
} from "./support.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const ns = useNamespace(cluster, "auto-node");
const id = useAutomationIdentity(cluster);
// Our own kwok node: the shared kwok-node-0..2 are never cordoned or drained by this suite.
const nodeName = `aisre-drain-${randomBytes(3).toString("hex")}`;
const node = { kind: "Node", name: nodeName };
const cordoned = async () => (await cluster!.core.readNode({ name: nodeName })).spec?.unschedulable === true;
const podsOnNode = async (app: string) =>
  (await cluster!.core.listNamespacedPod({ namespace: ns.name, labelSelector: `app=${app}` })).items.filter(
    (p) => p.spec?.nodeName === nodeName && !p.metadata?.deletionTimestamp,
  );

describe("node actions against the real control plane", () => {
  beforeAll(async () => {
    if (cluster) await createKwokNode(cluster, nodeName);
  });
  afterAll(async () => {
    if (cluster) await cluster.core.deleteNode({ name: nodeName }).catch(() => undefined);
  });

  it("CordonNode and UncordonNode: dry run changes nothing, execute/verify/undo flip and restore", async () => {
    const { ctx } = id;
    const cordon = catalog.get("CordonNode")!;
    const uncordon = catalog.get("UncordonNode")!;
    const s = step("CordonNode", node);
    expect(await cordon.preconditions(ctx, s)).toEqual([]);
    expect(
      await cordon.preconditions(ctx, step("CordonNode", { kind: "Node", name: "no-such-node" })),
    ).toEqual([expect.stringContaining("not found")]);
    expect(await cordon.dryRun(ctx, s)).toMatchObject({ passed: true });
    expect(await cordoned()).toBe(false);

    const done = await cordon.execute(ctx, s);
    expect(done.undoState).toEqual({ wasCordoned: false });
    expect(await cordoned()).toBe(true);
    expect(await cordon.verify(ctx, s, done.undoState)).toMatchObject({ done: true, ok: true });

    const u = step("UncordonNode", node);
    expect(await uncordon.dryRun(ctx, u)).toMatchObject({ passed: true });
    expect(await cordoned()).toBe(true);
    const back = await uncordon.execute(ctx, u);
    expect(await cordoned()).toBe(false);
    expect(await uncordon.verify(ctx, u, back.undoState)).toMatchObject({ ok: true });
    await uncordon.undo(ctx, u, back.undoState);
    expect(await cordoned()).toBe(true);
    await cordon.undo(ctx, s, done.undoState);
    expect(await cordoned()).toBe(false);
  });

  it("DrainNode blocked by a PodDisruptionBudget fails cleanly, evicts nothing, and undo uncordons", async () => {
    await createReadyDeployment(cluster!, ns.name, deployment("guarded", { replicas: 1, node: nodeName }));
    const policy = cluster!.kc.makeApiClient(k8s.PolicyV1Api);
    await policy.createNamespacedPodDisruptionBudget({
      namespace: ns.name,
      body: {
        metadata: { name: "guarded" },
        spec: { minAvailable: 1, selector: { matchLabels: { app: "guarded" } } },
      },
    });
    await waitFor("PDB computed with no disruption allowed", async () => {
      const pdb = await policy.readNamespacedPodDisruptionBudget({ name: "guarded", namespace: ns.name });
      return pdb.status?.currentHealthy === 1 && pdb.status.disruptionsAllowed === 0;
    });
    const { ctx } = id;
    const drain = catalog.get("DrainNode")!;
    const s = step("DrainNode", node, { ignoreDaemonSets: true });
    const before = await podsOnNode("guarded");
    expect(before).toHaveLength(1);
    expect(await drain.blastRadius(ctx, s)).toEqual({
      pods: [`${ns.name}/${before[0]!.metadata!.name}`],
      instances: [],
    });

    const dry = await drain.dryRun(ctx, s);
    expect(dry.passed).toBe(false);
    expect(dry.message).toMatch(/blocked by a PodDisruptionBudget/);
    expect(await cordoned()).toBe(false);

    const failure = await drain.execute(ctx, s).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(ActionFailedError);
    const err = failure as ActionFailedError;
    expect(err.message).toMatch(/blocked by a PodDisruptionBudget: .*disruption budget/);
    expect(err.undoState).toEqual({ cordoned: true, evicted: [] });
    expect(await cordoned()).toBe(true);
    expect((await podsOnNode("guarded")).map((p) => p.metadata?.uid)).toEqual([before[0]!.metadata?.uid]);

    await drain.undo(ctx, s, err.undoState!);
    expect(await cordoned()).toBe(false);
    await cluster!.kc
      .makeApiClient(k8s.AppsV1Api)
      .deleteNamespacedDeployment({ name: "guarded", namespace: ns.name });
    await waitFor("guarded pods gone", async () => (await podsOnNode("guarded")).length === 0);
  });

  it("DrainNode: dry run changes nothing, execute cordons and evicts, verify sees the node empty, undo uncordons", async () => {
    await createReadyDeployment(cluster!, ns.name, deployment("movable", { replicas: 2, node: nodeName }));
    const { ctx } = id;
    const drain = catalog.get("DrainNode")!;
    const s = step("DrainNode", node);
    expect(await drain.preconditions(ctx, s)).toEqual([]);
    expect(await drain.dryRun(ctx, s)).toMatchObject({ passed: true });
    expect(await cordoned()).toBe(false);
    expect(await podsOnNode("movable")).toHaveLength(2);

    const done = await drain.execute(ctx, s);
    expect(done.undoState).toMatchObject({ cordoned: true });
    expect(done.undoState.evicted).toHaveLength(2);
    expect(await verifyUntilDone(drain, ctx, s, done.undoState)).toMatchObject({ ok: true });
    expect(await podsOnNode("movable")).toHaveLength(0);

    await drain.undo(ctx, s, done.undoState);
    expect(await cordoned()).toBe(false);
    // Uncordoned, the node takes the pending replacements again.
    await waitFor("replacements back on the node", async () => (await podsOnNode("movable")).length === 2);
  });

  it("DrainNode refuses a pod nothing would recreate", async () => {
    await cluster!.core.createNamespacedPod({
      namespace: ns.name,
      body: {
        metadata: { name: "lonely", labels: { app: "lonely" } },
        spec: { nodeName, containers: [{ name: "app", image: "example.com/app:v1" }] },
      },
    });
    const { ctx } = id;
    const drain = catalog.get("DrainNode")!;
    const s = step("DrainNode", node);
    expect(await drain.preconditions(ctx, s)).toEqual([expect.stringContaining("lonely has no controller")]);
    expect(await drain.dryRun(ctx, s)).toMatchObject({ passed: false });
    await cluster!.core.deleteNamespacedPod({ name: "lonely", namespace: ns.name, gracePeriodSeconds: 0 });
  });
});
