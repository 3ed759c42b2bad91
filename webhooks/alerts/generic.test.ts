import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SreTask } from "../../crds/index.ts";
import { TEST_TOKEN, testSidecar } from "../testing/sidecar.ts";
import type { TestSidecar } from "../testing/sidecar.ts";
import { fromGeneric } from "./generic.ts";
import { labelsFingerprint } from "./shape.ts";

let t: TestSidecar;
beforeEach(async () => {
  t = await testSidecar();
});
afterEach(async () => t.close());

const post = (body: unknown, token = TEST_TOKEN) =>
  t.app.inject({
    method: "POST",
    url: "/alerts/generic",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    payload: typeof body === "string" ? body : JSON.stringify(body),
  });
const tasks = () =>
  [...t.fake.objects.entries()]
    .filter(([k]) => k.startsWith("sretasks/"))
    .map(([, v]) => v as unknown as SreTask);

describe("fromGeneric", () => {
  it("maps the minimal shape: name → alertname, a fingerprint from name and labels, startsAt now", () => {
    const a = fromGeneric({ name: "DiskFull" }, undefined, "2026-12-06T10:00:00.000Z");
    expect(a).toEqual({
      status: "firing",
      labels: { alertname: "DiskFull" },
      fingerprint: labelsFingerprint({ alertname: "DiskFull" }),
      annotations: {},
      startsAt: "2026-12-06T10:00:00.000Z",
    });
  });

  it("maps every optional field", () => {
    const a = fromGeneric(
      {
        name: "DiskFull",
        status: "resolved",
        id: "zbx-1042",
        labels: { namespace: "shop", alertname: "ignored" },
        summary: "disk 95% full",
        description: "on node-3",
        annotations: { summary: "kept" },
        endsAt: "2026-12-06T11:00:00Z",
        url: "https://zabbix.example/events/1042",
      },
      "zabbix",
      "2026-12-06T12:00:00Z",
    );
    expect(a).toEqual({
      status: "resolved",
      labels: { namespace: "shop", alertname: "DiskFull" },
      fingerprint: "zbx-1042",
      annotations: { summary: "kept", description: "on node-3", source: "zabbix" },
      endsAt: "2026-12-06T11:00:00Z",
      generatorURL: "https://zabbix.example/events/1042",
    });
  });
});

describe("POST /alerts/generic", () => {
  it("creates a task from the minimal shape and resolves it", async () => {
    const res = await post({ alerts: [{ name: "DiskFull", id: "zbx-1042", summary: "disk 95% full" }] });
    expect(res.statusCode).toBe(200);
    const [ref] = res.json().tasks;
    expect(ref).toMatchObject({ fingerprint: "zbx-1042", outcome: "created", namespace: "aisre-system" });
    expect(ref.name).toMatch(/^alert-diskfull-[0-9a-f]{12}$/);
    expect(tasks()[0]!.spec.alert).toMatchObject({ labels: { alertname: "DiskFull" }, status: "firing" });
    const resolved = await post({ alerts: [{ name: "DiskFull", id: "zbx-1042", status: "resolved" }] });
    expect(resolved.json().tasks[0].outcome).toBe("resolved");
    expect(tasks()[0]!.spec.alert!.status).toBe("resolved");
  });

  it("goes to the namespace of labels.namespace when it has a default AgentConfig", async () => {
    t.fake.put("agentconfigs", { metadata: { name: "default", namespace: "shop" }, spec: {} });
    const res = await post({ source: "nagios", alerts: [{ name: "Down", labels: { namespace: "shop" } }] });
    expect(res.json().tasks[0].namespace).toBe("shop");
    expect(tasks()[0]!.spec.alert!.annotations).toEqual({ source: "nagios" });
  });

  it.each([
    [{}, "alerts"],
    [{ alerts: [] }, "alerts"],
    [{ alerts: [{ summary: "no name" }] }, "alerts[0].name"],
    [{ alerts: [{ name: "A" }, { name: "" }] }, "alerts[1].name"],
    [{ alerts: [{ name: "A", status: "pending" }] }, "alerts[0].status"],
    [{ alerts: [{ name: "A", startsAt: "yesterday" }] }, "alerts[0].startsAt"],
    [{ alerts: [{ name: "A", labels: { team: "x".repeat(1025) } }] }, "alerts[0].labels.team"],
    [{ alerts: [{ name: "A", id: "x".repeat(65) }] }, "alerts[0].id"],
  ])("400 for case %#", async (body, field) => {
    const res = await post(body);
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe(field);
    expect(t.fake.writes()).toEqual([]);
  });

  it("401 with a wrong token", async () => {
    expect((await post({ alerts: [{ name: "A" }] }, "nope")).statusCode).toBe(401);
  });
});
