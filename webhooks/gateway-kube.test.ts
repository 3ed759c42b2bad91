import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { KubeGateway } from "./gateway-kube.ts";
import { GatewayError } from "./gateway.ts";
import { startFakeKube } from "./testing/fake-kube.ts";
import type { FakeKube } from "./testing/fake-kube.ts";

let fake: FakeKube;
let gw: KubeGateway;
beforeEach(async () => {
  fake = await startFakeKube();
  gw = new KubeGateway(fake.kube.client, "aisre-system", pino({ level: "silent" }));
});
afterEach(async () => fake.close());

const plan = {
  metadata: { name: "p1", namespace: "shop" },
  spec: { steps: [] },
  status: { phase: "AwaitingApproval" },
};

describe("KubeGateway", () => {
  it("creates tasks with a generated name, the source label and requestedBy", async () => {
    const key = await gw.createTask({
      description: " 诊断 checkout ",
      source: "WeCom",
      requestedBy: "zhangsan",
      target: { kind: "Deployment", namespace: "shop", name: "checkout" },
    });
    expect(key.namespace).toBe("aisre-system");
    expect(key.name).toMatch(/^wecom-/);
    const task = await gw.getTask(key.namespace, key.name);
    expect(task?.metadata.labels).toEqual({ "aisre.io/source": "wecom" });
    expect(task?.spec).toMatchObject({
      source: "WeCom",
      description: "诊断 checkout",
      requestedBy: "zhangsan",
      target: { name: "checkout" },
    });
  });

  it("refuses an empty description and reports a missing namespace as NotFound", async () => {
    await expect(
      gw.createTask({ description: "  ", source: "REST", requestedBy: "a" }),
    ).rejects.toMatchObject({ code: "Invalid", field: "description" });
    fake.missingNamespaces.add("gone");
    await expect(
      gw.createTask({ namespace: "gone", description: "x", source: "REST", requestedBy: "a" }),
    ).rejects.toMatchObject({ code: "NotFound" });
  });

  it("reports an unavailable API server as Unavailable", async () => {
    fake.down = 503;
    const err = await gw.getTask("shop", "t").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).code).toBe("Unavailable");
  });

  it("lists newest first, up to limit", async () => {
    for (const [name, at] of [
      ["old", "2026-01-01T00:00:00Z"],
      ["new", "2026-03-01T00:00:00Z"],
      ["mid", "2026-02-01T00:00:00Z"],
    ] as const)
      fake.put("sretasks", { metadata: { name, namespace: "shop", creationTimestamp: at }, spec: {} });
    const tasks = await gw.listTasks({ namespace: "shop", limit: 2 });
    expect(tasks.map((t) => t.metadata.name)).toEqual(["new", "mid"]);
  });

  it("decides a plan once: spec.approval, then status.approval with who and how", async () => {
    fake.put("remediationplans", plan);
    const decided = await gw.decidePlan("shop", "p1", "Rejected", "lisi", "WeCom");
    expect(decided.spec.approval).toEqual({ decision: "Rejected" });
    expect(decided.status?.approval).toMatchObject({ decision: "Rejected", decidedBy: "lisi", via: "WeCom" });
    const again = await gw.decidePlan("shop", "p1", "Rejected", "someone-else", "REST");
    expect(again.status?.approval?.decidedBy).toBe("lisi");
    await expect(gw.decidePlan("shop", "p1", "Approved", "lisi", "WeCom")).rejects.toMatchObject({
      code: "Conflict",
    });
    await expect(gw.decidePlan("shop", "nope", "Approved", "lisi", "WeCom")).rejects.toMatchObject({
      code: "NotFound",
    });
    expect(await gw.getPlan("shop", "nope")).toBeUndefined();
  });
});
