import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SreTask } from "../../crds/index.ts";
import { alert, deliver, payload, testSidecar } from "../testing/sidecar.ts";
import type { TestSidecar } from "../testing/sidecar.ts";

let t: TestSidecar;
beforeEach(async () => {
  t = await testSidecar();
});
afterEach(async () => t.close());

const task = (name: string, ns = "aisre-system") =>
  t.fake.objects.get(`sretasks/${ns}/${name}`) as unknown as SreTask | undefined;
const NAME = "alert-kubepodcrashlooping-0123456789ab";

describe("POST /alerts/alertmanager", () => {
  it("creates one SreTask per firing alert with a deterministic name and labels", async () => {
    const res = await deliver(t.app, payload([alert()]));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      received: 1,
      tasks: [{ fingerprint: "0123456789abcdef", namespace: "aisre-system", name: NAME, outcome: "created" }],
    });
    const created = task(NAME)!;
    expect(created.metadata.labels).toEqual({
      "aisre.io/alertname": "KubePodCrashLooping",
      "aisre.io/severity": "critical",
      "aisre.io/fingerprint": "0123456789abcdef",
    });
    expect(created.spec.source).toBe("Alertmanager");
    expect(created.spec.alert).toMatchObject({ status: "firing", startsAt: "2026-11-20T10:00:00Z" });
    expect(created.spec.alert?.endsAt).toBeUndefined(); // 0001-01-01 means "unset"
  });

  it("answers duplicate deliveries without any API call", async () => {
    await deliver(t.app, payload([alert()]));
    const before = t.fake.requests.length;
    for (let i = 0; i < 5; i++)
      expect((await deliver(t.app, payload([alert()]))).json().tasks[0].outcome).toBe("cached");
    expect(t.fake.requests.length).toBe(before);
    expect((await t.metrics.alertsDeduplicated.get()).values[0]!.value).toBe(5);
  });

  it("treats an existing task (409) as success and writes nothing more", async () => {
    await deliver(t.app, payload([alert()]));
    const fresh = await testSidecar(); // a second replica: empty cache, same "cluster" below
    try {
      fresh.fake.put("sretasks", structuredClone(task(NAME)) as never);
      const res = await deliver(fresh.app, payload([alert()]));
      expect(res.json().tasks[0].outcome).toBe("existing");
      expect(fresh.fake.writes().map((r) => r.method)).toEqual(["POST"]);
    } finally {
      await fresh.close();
    }
  });

  it("marks the task's alert resolved in spec, not status", async () => {
    await deliver(t.app, payload([alert()]));
    const res = await deliver(
      t.app,
      payload([alert({ status: "resolved", endsAt: "2026-11-20T10:30:00Z" })]),
    );
    expect(res.json().tasks[0].outcome).toBe("resolved");
    const resolved = task(NAME)!;
    expect(resolved.spec.alert).toMatchObject({ status: "resolved", endsAt: "2026-11-20T10:30:00Z" });
    expect(resolved.status).toBeUndefined();
    const patch = t.fake.writes().at(-1)!;
    expect(patch.contentType).toBe("application/merge-patch+json");
    expect(patch.path).toBe(`/apis/aisre.io/v1alpha1/namespaces/aisre-system/sretasks/${NAME}`);
    // A repeat of the resolved notification is free.
    const n = t.fake.requests.length;
    expect(
      (await deliver(t.app, payload([alert({ status: "resolved", endsAt: "2026-11-20T10:30:00Z" })]))).json()
        .tasks[0].outcome,
    ).toBe("cached");
    expect(t.fake.requests.length).toBe(n);
  });

  it("never lets a stale firing (same episode) undo a resolved task, even after cache loss", async () => {
    const small = await testSidecar({ alertCacheSize: 0 });
    try {
      await deliver(small.app, payload([alert()]));
      await deliver(small.app, payload([alert({ status: "resolved", endsAt: "2026-11-20T10:30:00Z" })]));
      const res = await deliver(small.app, payload([alert()]));
      expect(res.json().tasks[0].outcome).toBe("existing");
      const stored = small.fake.objects.get(`sretasks/aisre-system/${NAME}`) as unknown as SreTask;
      expect(stored.spec.alert?.status).toBe("resolved");
    } finally {
      await small.close();
    }
  });

  it("reopens the task when the fingerprint fires again in a new episode", async () => {
    await deliver(t.app, payload([alert()]));
    await deliver(t.app, payload([alert({ status: "resolved", endsAt: "2026-11-20T10:30:00Z" })]));
    const res = await deliver(t.app, payload([alert({ startsAt: "2026-11-20T12:00:00Z" })]));
    expect(res.json().tasks[0].outcome).toBe("reopened");
    expect(task(NAME)!.spec.alert).toMatchObject({ status: "firing", startsAt: "2026-11-20T12:00:00Z" });
    expect(task(NAME)!.spec.alert?.endsAt).toBeUndefined();
  });

  it("answers a resolved alert without a task as absent, creating nothing", async () => {
    const res = await deliver(
      t.app,
      payload([alert({ status: "resolved", endsAt: "2026-11-20T10:30:00Z" })]),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().tasks[0].outcome).toBe("absent");
    expect(t.fake.writes()).toEqual([]);
  });

  it("puts the task in the alert's namespace when that namespace has a default AgentConfig", async () => {
    t.fake.put("agentconfigs", { metadata: { name: "default", namespace: "shop" }, spec: {} });
    const res = await deliver(t.app, payload([alert()]));
    expect(res.json().tasks[0].namespace).toBe("shop");
    expect(task(NAME, "shop")).toBeDefined();
  });

  it("puts the task in the alert's namespace when the operator's AgentConfig allows it", async () => {
    t.fake.put("agentconfigs", {
      metadata: { name: "default", namespace: "aisre-system" },
      spec: { policy: { allowedNamespaces: ["shop"] } },
    });
    const res = await deliver(
      t.app,
      payload([alert(), alert({ fingerprint: "fedcba9876543210" }, { namespace: "bank" })]),
    );
    expect(res.json().tasks.map((x: { namespace: string }) => x.namespace)).toEqual(["shop", "aisre-system"]);
  });

  it("falls back to AISRE_NAMESPACE when the allowed namespace does not exist", async () => {
    t.fake.put("agentconfigs", {
      metadata: { name: "default", namespace: "aisre-system" },
      spec: { policy: { allowedNamespaces: ["*"] } },
    });
    t.fake.missingNamespaces.add("shop");
    const res = await deliver(t.app, payload([alert()]));
    expect(res.json().tasks[0]).toMatchObject({ namespace: "aisre-system", outcome: "created" });
  });

  it("handles a group of 50 alerts and the same fingerprint twice in one delivery", async () => {
    const alerts = Array.from({ length: 50 }, (_, i) =>
      alert({ fingerprint: `${i.toString(16).padStart(4, "0")}0123456789ab` }),
    );
    const res = await deliver(t.app, payload([...alerts, alerts[0]!]));
    expect(res.statusCode).toBe(200);
    expect(res.json().received).toBe(51);
    expect(t.fake.writes().length).toBe(50);
    expect([...t.fake.objects.keys()].filter((k) => k.startsWith("sretasks/")).length).toBe(50);
  });
});

describe("POST /alerts/alertmanager refusals", () => {
  it("401 without or with a wrong token, before reading the body", async () => {
    expect((await deliver(t.app, payload([alert()]), "wrong")).statusCode).toBe(401);
    const res = await t.app.inject({ method: "POST", url: "/alerts/alertmanager", payload: "not even json" });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: "Unauthorized", message: "missing or wrong bearer token" });
    expect(res.headers["www-authenticate"]).toContain("Bearer");
  });

  it("400 naming the field of a malformed alert, with no API write", async () => {
    const bad = alert();
    delete (bad.labels as Record<string, string>).alertname;
    const res = await deliver(t.app, payload([alert({ fingerprint: "ffffffffffffffff" }), bad]));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: "BadRequest",
      message: "alerts[1].labels.alertname is required",
      field: "alerts[1].labels.alertname",
    });
    expect(t.fake.writes()).toEqual([]);
  });

  it.each([
    [{ ...payload([alert()]), version: "3" }, "version"],
    [{ ...payload([alert()]), alerts: undefined }, "alerts"],
    [payload([alert({ status: "pending" as never })]), "alerts[0].status"],
    [payload([alert({ startsAt: "yesterday" })]), "alerts[0].startsAt"],
    [payload([alert({ fingerprint: "" })]), "alerts[0].fingerprint"],
    [payload([alert({}, { team: "x".repeat(1025) })]), "alerts[0].labels.team"],
  ])("400 for %#: field %s", async (body, field) => {
    const res = await deliver(t.app, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe(field);
  });

  it("400 for a body that is not JSON", async () => {
    const res = await deliver(t.app, "{nope");
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe("BadRequest");
  });

  it("413 for a body over the limit", async () => {
    const big = payload([alert({ annotations: { description: "x".repeat(70 * 1024) } })]);
    const res = await deliver(t.app, big);
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toBe("PayloadTooLarge");
  });

  it("ignores unknown fields", async () => {
    const res = await deliver(t.app, { ...payload([{ ...alert(), extra: 1 } as never]), future: { x: 1 } });
    expect(res.statusCode).toBe(200);
  });

  it("503 with Retry-After when the API server fails, and retries cleanly afterwards", async () => {
    t.fake.down = 500;
    const res = await deliver(t.app, payload([alert()]));
    expect(res.statusCode).toBe(503);
    expect(res.headers["retry-after"]).toBe("5");
    expect(res.json().error).toBe("ServiceUnavailable");
    t.fake.down = undefined;
    const retry = await deliver(t.app, payload([alert()]));
    expect(retry.json().tasks[0].outcome).toBe("created");
  });

  it("503 when the API server answers 429", async () => {
    t.fake.down = 429;
    expect((await deliver(t.app, payload([alert()]))).statusCode).toBe(503);
  });

  it("counts rejections by reason", async () => {
    await deliver(t.app, payload([alert()]), "wrong");
    await deliver(t.app, { version: "4" });
    const values = (await t.metrics.alertsRejected.get()).values.map((v) => [v.labels.reason, v.value]);
    expect(values).toEqual([
      ["unauthorized", 1],
      ["invalid", 1],
    ]);
  });
});
