import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SreTask } from "../../crds/index.ts";
import { TEST_TOKEN, alert, deliver, payload, testSidecar } from "../testing/sidecar.ts";
import type { TestSidecar } from "../testing/sidecar.ts";
import { grafanaAlert, grafanaCpuAlert, grafanaPayload } from "./grafana-fixtures.ts";
import { fromGrafana, valuesText } from "./grafana.ts";
import type { GrafanaAlert } from "./grafana-schema.ts";
import { labelsFingerprint } from "./shape.ts";

let t: TestSidecar;
beforeEach(async () => {
  t = await testSidecar();
});
afterEach(async () => t.close());

const post = (body: unknown, token = TEST_TOKEN) =>
  t.app.inject({
    method: "POST",
    url: "/alerts/grafana",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    payload: typeof body === "string" ? body : JSON.stringify(body),
  });
const task = (name: string, ns = "aisre-system") =>
  t.fake.objects.get(`sretasks/${ns}/${name}`) as unknown as SreTask | undefined;
const MEMORY = "alert-high-memory-usage-c6eadffa33fc";
const CPU = "alert-high-cpu-usage-bc97ff14869b";

describe("fromGrafana", () => {
  it("keeps Alertmanager's fields and folds Grafana's extras into annotations", () => {
    const a = fromGrafana(grafanaCpuAlert() as GrafanaAlert, 3);
    expect(a).toMatchObject({
      status: "firing",
      fingerprint: "bc97ff14869b13e3",
      startsAt: "2021-10-12T09:56:03.157076+02:00",
      generatorURL: "https://play.grafana.org/alerting/d1rdpdv7k/edit",
    });
    expect(a.annotations).toMatchObject({
      summary: "This alert was triggered for zone eu-1",
      dashboardURL: "https://play.grafana.org/d/abc123",
      panelURL: "https://play.grafana.org/d/abc123?viewPanel=4",
      values: "B=88.5, C=1",
      orgId: "3",
    });
    expect(a.annotations!.silenceURL).toContain("/alerting/silence/new");
  });

  it("leaves out empty URLs, never overrides a sender's annotation, hashes labels without a fingerprint", () => {
    const a = fromGrafana(
      grafanaAlert({ fingerprint: "", annotations: { values: "mine" }, values: null }) as GrafanaAlert,
      1,
    );
    expect(a.annotations).not.toHaveProperty("dashboardURL");
    expect(a.annotations).not.toHaveProperty("panelURL");
    expect(a.annotations!.values).toBe("mine");
    expect(a.fingerprint).toBe(labelsFingerprint(grafanaAlert().labels));
    expect(a.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it("formats values with 6 significant digits and null as none", () => {
    expect(valuesText({ B: 44.23943737541908, A: null, C: 1 })).toBe("A=none, B=44.2394, C=1");
    expect(valuesText({})).toBeUndefined();
    expect(valuesText(null)).toBeUndefined();
  });
});

describe("POST /alerts/grafana", () => {
  it("creates one task per alert of a group, with Grafana's links in spec.alert.annotations", async () => {
    const res = await post(grafanaPayload([grafanaAlert(), grafanaCpuAlert()]));
    expect(res.statusCode).toBe(200);
    expect(res.json().tasks.map((r: { name: string; outcome: string }) => [r.name, r.outcome])).toEqual([
      [MEMORY, "created"],
      [CPU, "created"],
    ]);
    const cpu = task(CPU)!;
    expect(cpu.spec.source).toBe("Alertmanager");
    expect(cpu.spec.alert!.labels).toEqual({ alertname: "High CPU usage", team: "blue", zone: "eu-1" });
    expect(cpu.spec.alert!.annotations).toMatchObject({
      dashboardURL: "https://play.grafana.org/d/abc123",
      panelURL: "https://play.grafana.org/d/abc123?viewPanel=4",
      values: "B=88.5, C=1",
      orgId: "1",
    });
    expect(cpu.spec.alert!.endsAt).toBeUndefined();
  });

  it("deduplicates repeats, resolves with state ok, and treats Alertmanager's copy of the alert as the same task", async () => {
    await post(grafanaPayload([grafanaAlert()]));
    const before = t.fake.requests.length;
    expect((await post(grafanaPayload([grafanaAlert()]))).json().tasks[0].outcome).toBe("cached");
    expect(t.fake.requests.length).toBe(before);
    const resolved = grafanaPayload([grafanaAlert({ status: "resolved", endsAt: "2021-10-12T10:01:03Z" })]);
    expect(resolved.state).toBe("ok");
    expect((await post(resolved)).json().tasks[0].outcome).toBe("resolved");
    expect(task(MEMORY)!.spec.alert).toMatchObject({ status: "resolved", endsAt: "2021-10-12T10:01:03Z" });
    // The same alert from Alertmanager (same labels and fingerprint) lands on the same task.
    const am = alert(
      { fingerprint: "c6eadffa33fcdf37", status: "resolved", startsAt: "2021-10-12T07:51:03Z" },
      {
        alertname: "High memory usage",
      },
    );
    expect((await deliver(t.app, payload([am]))).json().tasks[0].name).toBe(MEMORY);
  });

  it("401 before reading the body", async () => {
    const res = await post("not json", "wrong");
    expect(res.statusCode).toBe(401);
  });

  it.each([
    [{ ...grafanaPayload([grafanaAlert()]), version: "4" }, "version"],
    [{ ...grafanaPayload([grafanaAlert()]), orgId: "one" }, "orgId"],
    [grafanaPayload([grafanaAlert({ labels: { team: "blue" } })]), "alerts[0].labels.alertname"],
    [grafanaPayload([grafanaAlert(), grafanaAlert({ status: "pending" as never })]), "alerts[1].status"],
    [grafanaPayload([grafanaAlert({ values: { B: "high" as never } })]), "alerts[0].values.B"],
  ])("400 for %#, naming %s, with no API write", async (body, field) => {
    const res = await post(body);
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe(field);
    expect(t.fake.writes()).toEqual([]);
  });

  it("503 with Retry-After when the API server fails", async () => {
    t.fake.down = 500;
    const res = await post(grafanaPayload([grafanaAlert()]));
    expect(res.statusCode).toBe(503);
    expect(res.headers["retry-after"]).toBe("5");
  });
});
