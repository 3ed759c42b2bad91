import * as k8s from "@kubernetes/client-node";
import { describe, expect } from "vitest";
import { ROLLED_BACK_FROM } from "../../agents/automation/actions/rollout-undo.ts";
import { catalog } from "../../agents/automation/catalog.ts";
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
const ns = useNamespace(cluster, "auto-undo");
const id = useAutomationIdentity(cluster);
const apps = () => (cluster as TestCluster).kc.makeApiClient(k8s.AppsV1Api);
const undo = catalog.get("RolloutUndo")!;
const SIMULATE = "aisre.io/simulate";

/** Merge-patches a Deployment's pod template as an admin would (a new rollout). */
async function rollOut(name: string, image: string, annotations: Record<string, string | null>) {
  await apps().patchNamespacedDeployment(
    {
      name,
      namespace: ns.name,
      body: {
        spec: { template: { metadata: { annotations }, spec: { containers: [{ name: "app", image }] } } },
      },
    },
    k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.StrategicMergePatch),
  );
}

describe("RolloutUndo against the real control plane", () => {
  it("restores the previous revision after a bad rollout, and undo rolls forward again", async () => {
    await createReadyDeployment(
      cluster!,
      ns.name,
      deployment("web", { replicas: 2, image: "example.com/web:v1" }),
    );
    await rollOut("web", "example.com/web:v2", { [SIMULATE]: "CrashLoopBackOff" });
    const core = cluster!.core;
    // The bad revision is live: its first pod crash-loops and the rollout is stuck.
    await waitFor("a crash-looping v2 pod", async () => {
      const pods = await core.listNamespacedPod({ namespace: ns.name, labelSelector: "app=web" });
      return pods.items.some((p) =>
        p.status?.containerStatuses?.some(
          (c) => c.image === "example.com/web:v2" && c.state?.waiting?.reason === "CrashLoopBackOff",
        ),
      );
    });
    const { ctx } = id;
    const s = step("RolloutUndo", { kind: "Deployment", namespace: ns.name, name: "web" });
    const read = () => apps().readNamespacedDeployment({ name: "web", namespace: ns.name });
    const template = async () => (await read()).spec?.template;

    expect(await undo.preconditions(ctx, s)).toEqual([]);
    const bad = step("RolloutUndo", s.target, { toRevision: 7 });
    expect(await undo.preconditions(ctx, bad)).toEqual([expect.stringContaining("revision 7 not found")]);
    expect((await undo.dryRun(ctx, bad)).passed).toBe(false);
    expect((await undo.blastRadius(ctx, s)).pods.length).toBeGreaterThanOrEqual(2);

    const dry = await undo.dryRun(ctx, s);
    expect(dry).toMatchObject({ passed: true, message: expect.stringContaining("revision 1") });
    expect((await template())?.spec?.containers[0]?.image).toBe("example.com/web:v2");

    const done = await undo.execute(ctx, s);
    expect(done.undoState).toMatchObject({ fromRevision: 2, toRevision: 1 });
    const restored = await template();
    expect(restored?.spec?.containers[0]?.image).toBe("example.com/web:v1");
    expect(restored?.metadata?.annotations?.[SIMULATE]).toBeUndefined();
    expect(restored?.metadata?.labels).toEqual({ app: "web" });

    // A retried step (no toRevision) must not flip back to the bad revision it left.
    const marked = (await read()).metadata?.annotations?.[ROLLED_BACK_FROM];
    expect(marked).toBe(done.undoState.fromRevisionName);
    expect(await undo.preconditions(ctx, s)).toEqual([
      expect.stringContaining(`already rolled back from ${marked}`),
    ]);
    await expect(undo.execute(ctx, s)).rejects.toThrow(/already rolled back/);

    expect(await verifyUntilDone(undo, ctx, s, done.undoState)).toMatchObject({ ok: true });
    // The template matched revision 1 exactly: the controller reused its ReplicaSet as revision 3.
    const sets = await apps().listNamespacedReplicaSet({ namespace: ns.name, labelSelector: "app=web" });
    expect(sets.items).toHaveLength(2);
    expect((await read()).metadata?.annotations?.["deployment.kubernetes.io/revision"]).toBe("3");
    const pods = await core.listNamespacedPod({ namespace: ns.name, labelSelector: "app=web" });
    const live = pods.items.filter((p) => !p.metadata?.deletionTimestamp);
    expect(live).toHaveLength(2);
    for (const p of live) {
      expect(p.spec?.containers[0]?.image).toBe("example.com/web:v1");
      expect(p.status?.conditions?.find((c) => c.type === "Ready")?.status).toBe("True");
    }

    await undo.undo(ctx, s, done.undoState);
    const forward = await template();
    expect(forward?.spec?.containers[0]?.image).toBe("example.com/web:v2");
    expect(forward?.metadata?.annotations?.[SIMULATE]).toBe("CrashLoopBackOff");
    expect((await read()).metadata?.annotations?.[ROLLED_BACK_FROM]).toBeUndefined();
  });

  it("rolls a StatefulSet back through its ControllerRevisions", async () => {
    const sts = (image: string): k8s.V1StatefulSet => ({
      metadata: { name: "db" },
      spec: {
        serviceName: "db",
        replicas: 1,
        selector: { matchLabels: { app: "db" } },
        template: { metadata: { labels: { app: "db" } }, spec: { containers: [{ name: "db", image }] } },
      },
    });
    await apps().createNamespacedStatefulSet({ namespace: ns.name, body: sts("example.com/db:v1") });
    const read = () => apps().readNamespacedStatefulSet({ name: "db", namespace: ns.name });
    await waitFor("db ready", async () => (await read()).status?.readyReplicas === 1);
    await apps().patchNamespacedStatefulSet(
      {
        name: "db",
        namespace: ns.name,
        body: [{ op: "replace", path: "/spec/template/spec/containers/0/image", value: "example.com/db:v2" }],
      },
      k8s.setHeaderOptions("Content-Type", k8s.PatchStrategy.JsonPatch),
    );
    const { ctx } = id;
    const s = step("RolloutUndo", { kind: "StatefulSet", namespace: ns.name, name: "db" });
    await waitFor("db v2 rolled out", async () => (await undo.verify(ctx, s, {})).ok);

    expect(await undo.dryRun(ctx, s)).toMatchObject({ passed: true });
    expect((await read()).spec?.template.spec?.containers[0]?.image).toBe("example.com/db:v2");
    const done = await undo.execute(ctx, s);
    expect((await read()).spec?.template.spec?.containers[0]?.image).toBe("example.com/db:v1");
    expect(await verifyUntilDone(undo, ctx, s, done.undoState)).toMatchObject({ ok: true });
    await undo.undo(ctx, s, done.undoState);
    expect((await read()).spec?.template.spec?.containers[0]?.image).toBe("example.com/db:v2");
    expect(await verifyUntilDone(undo, ctx, s, done.undoState)).toMatchObject({ ok: true });
  });
});
