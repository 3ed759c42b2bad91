import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { actingClient } from "./acting.ts";
import { KubeGateway } from "./gateway-kube.ts";
import { GatewayError } from "./gateway.ts";
import { startFakeKube } from "./testing/fake-kube.ts";
import type { FakeKube } from "./testing/fake-kube.ts";

let fake: FakeKube;
let gw: KubeGateway;
beforeEach(async () => {
  fake = await startFakeKube();
  gw = new KubeGateway(
    fake.kube.client,
    "aisre-system",
    pino({ level: "silent" }),
    actingClient(fake.kube.kc),
  );
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

  it("decides a plan once, as the REST caller: spec.approval with their username, their field manager", async () => {
    fake.put("remediationplans", plan);
    const rest = { via: "REST" as const, username: "alice", token: "alice-token" };
    const decided = await gw.decidePlan("shop", "p1", "Rejected", rest);
    expect(decided.spec.approval).toEqual({ decision: "Rejected", decidedBy: "alice" });
    // No status write: the operator records status.approval from spec.approval.
    expect(fake.writes().map((w) => [w.method, w.path, w.query.get("fieldManager")])).toEqual([
      ["PATCH", "/apis/aisre.io/v1alpha1/namespaces/shop/remediationplans/p1", "aisre-sidecar-rest"],
    ]);
    const again = await gw.decidePlan("shop", "p1", "Rejected", { ...rest, username: "someone-else" });
    expect(again.spec.approval?.decidedBy).toBe("alice");
    await expect(gw.decidePlan("shop", "p1", "Approved", rest)).rejects.toMatchObject({ code: "Conflict" });
    await expect(gw.decidePlan("shop", "nope", "Approved", rest)).rejects.toMatchObject({ code: "NotFound" });
    expect(await gw.getPlan("shop", "nope")).toBeUndefined();
  });

  it("decides for a WeCom user only through cluster policy's chatIdentities", async () => {
    fake.put("remediationplans", plan);
    const wecom = { via: "WeCom" as const, wecomUserId: "lisi" };
    await expect(gw.decidePlan("shop", "p1", "Approved", wecom)).rejects.toMatchObject({
      code: "Forbidden",
      message: expect.stringContaining("no Kubernetes identity in AgentConfig aisre-system/default"),
    });
    // A namespace's own AgentConfig maps nobody.
    const mapping = { chatIdentities: [{ wecomUserId: "lisi", kubernetesUser: "li.si@corp" }] };
    fake.put("agentconfigs", { metadata: { name: "default", namespace: "shop" }, spec: { policy: mapping } });
    await expect(gw.decidePlan("shop", "p1", "Approved", wecom)).rejects.toMatchObject({ code: "Forbidden" });
    fake.put("agentconfigs", {
      metadata: { name: "default", namespace: "aisre-system" },
      spec: { policy: mapping },
    });
    const decided = await gw.decidePlan("shop", "p1", "Approved", wecom);
    expect(decided.spec.approval).toEqual({ decision: "Approved", decidedBy: "li.si@corp" });
    expect(fake.writes().at(-1)?.query.get("fieldManager")).toBe("aisre-sidecar-wecom");
  });
});
