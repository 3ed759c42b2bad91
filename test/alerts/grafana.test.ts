// Grafana Alerting's webhook contact point, its payloads exactly as Grafana sends them, posted to
// a real sidecar on the real API server (the CRD's own validation included): a firing group of
// two alerts with its links and values on the tasks, a repeat that costs nothing, the resolved
// notification (state ok) marking task and incident resolved, a 503 while the API server is cut
// off and the retry that Grafana would make, and 400s naming the field.
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { SreTask } from "../../crds/index.ts";
import { KubeClient } from "../../kube/kube-api.ts";
import type { Database } from "../../store/index.ts";
import { getIncident, openStore, upsertIncident } from "../../store/index.ts";
import { grafanaAlert, grafanaCpuAlert, grafanaPayload } from "../../webhooks/alerts/grafana-fixtures.ts";
import { controlPlane, installCrds, itOnCluster, useNamespace } from "../support/cluster.ts";
import { WEBHOOK_TOKEN, startFaultProxy, startSidecar, waitFor } from "../sidecar/support.ts";
import type { FaultProxy, RunningSidecar } from "../sidecar/support.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const ns = useNamespace(cluster, "alerts-grafana");

let sidecar: RunningSidecar;
let proxy: FaultProxy;
let store: Database;
let client: KubeClient;

/** POSTs like Grafana's webhook contact point with Authorization: Bearer (its "Authorization header" setting). */
async function grafanaSends(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${sidecar.url}/alerts/grafana`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${WEBHOOK_TOKEN}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function task(name: string): Promise<SreTask | undefined> {
  try {
    return await client.request<SreTask>(
      "GET",
      `/apis/aisre.io/v1alpha1/namespaces/${ns.name}/sretasks/${name}`,
    );
  } catch {
    return undefined;
  }
}

describe("Grafana Alerting contact point → sidecar → SreTasks", () => {
  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    client = KubeClient.fromKubeConfig(cluster.kc);
    store = await openStore({ dataDir: "memory://" });
    proxy = await startFaultProxy(cluster.kc);
    sidecar = await startSidecar(proxy.kc, { namespace: ns.name }, store);
  }, 60_000);
  afterAll(async () => {
    await sidecar?.close();
    await proxy?.close();
    await store?.close();
  });

  it("turns a firing group into one task per alert, Grafana's links and values in spec.alert", async () => {
    const memory = grafanaAlert({ fingerprint: "a1eadffa33fcdf01" });
    const cpu = grafanaCpuAlert({ fingerprint: "a2c97ff14869b302" });
    const res = await grafanaSends(grafanaPayload([memory, cpu]));
    expect(res.status).toBe(200);
    const refs = res.json.tasks as { name: string; outcome: string }[];
    expect(refs.map((r) => r.outcome)).toEqual(["created", "created"]);
    // 200 came after the tasks were stored: they are there at once, no polling needed.
    const [m, c] = [await task(refs[0]!.name), await task(refs[1]!.name)];
    expect(m!.metadata.name).toBe("alert-high-memory-usage-a1eadffa33fc");
    expect(m!.spec.alert).toMatchObject({
      status: "firing",
      fingerprint: "a1eadffa33fcdf01",
      startsAt: "2021-10-12T09:51:03.157076+02:00",
      labels: { alertname: "High memory usage", team: "blue", zone: "us-1" },
      annotations: {
        values: "B=44.2394, C=1",
        orgId: "1",
        summary: "This alert was triggered for zone us-1",
      },
    });
    expect(m!.spec.alert!.annotations!.silenceURL).toContain("/alerting/silence/new?alertmanager=grafana");
    expect(m!.spec.alert!.annotations).not.toHaveProperty("dashboardURL"); // Grafana sent ""
    expect(c!.spec.alert!.annotations).toMatchObject({
      dashboardURL: "https://play.grafana.org/d/abc123",
      panelURL: "https://play.grafana.org/d/abc123?viewPanel=4",
    });
    expect(m!.metadata.labels).toMatchObject({ "aisre.io/fingerprint": "a1eadffa33fcdf01" });

    // Grafana repeats the group (repeat interval): nothing is written.
    const writes = await sidecar.metrics.alertsDeduplicated.get();
    const before = writes.values.reduce((n, v) => n + v.value, 0);
    const again = await grafanaSends(grafanaPayload([memory, cpu]));
    expect((again.json.tasks as { outcome: string }[]).map((r) => r.outcome)).toEqual(["cached", "cached"]);
    const after = (await sidecar.metrics.alertsDeduplicated.get()).values.reduce((n, v) => n + v.value, 0);
    expect(after - before).toBe(2);
  });

  it("marks task and incident resolved when Grafana sends state ok", async () => {
    const firing = grafanaAlert({ fingerprint: "b1eadffa33fcdf01", labels: { alertname: "GrafanaResolve" } });
    const created = await grafanaSends(grafanaPayload([firing]));
    const name = (created.json.tasks as { name: string }[])[0]!.name;
    const t = (await task(name))!;
    await upsertIncident(store, {
      taskUid: t.metadata.uid!,
      taskName: name,
      taskNamespace: ns.name,
      resourceVersion: t.metadata.resourceVersion!,
      status: "open",
      openedAt: new Date().toISOString(),
      fingerprint: "b1eadffa33fcdf01",
    });
    const resolvedAlert = { ...firing, status: "resolved" as const, endsAt: "2021-10-12T10:06:03+02:00" };
    const body = grafanaPayload([resolvedAlert]);
    expect(body).toMatchObject({ status: "resolved", state: "ok" });
    const res = await grafanaSends(body);
    expect(res.status).toBe(200);
    expect((res.json.tasks as { outcome: string }[])[0]!.outcome).toBe("resolved");
    expect((await task(name))!.spec.alert).toMatchObject({
      status: "resolved",
      endsAt: "2021-10-12T10:06:03+02:00",
    });
    const incident = await getIncident(store, { taskUid: t.metadata.uid! });
    expect(incident?.incident.status).toBe("resolved");
  });

  it("answers 503 with Retry-After while the API server is unreachable; the retry creates the task", async () => {
    const alert = grafanaAlert({ fingerprint: "c1eadffa33fcdf01", labels: { alertname: "GrafanaRetry" } });
    proxy.down();
    let res: Awaited<ReturnType<typeof grafanaSends>>;
    try {
      res = await grafanaSends(grafanaPayload([alert]));
    } finally {
      proxy.up();
    }
    expect(res.status).toBe(503);
    expect(res.json.error).toBe("ServiceUnavailable");
    expect(await task("alert-grafanaretry-c1eadffa33fc")).toBeUndefined();
    const retried = await waitFor("a successful retry", async () => {
      const r = await grafanaSends(grafanaPayload([alert]));
      return r.status === 200 ? r : undefined;
    });
    expect((retried.json.tasks as { outcome: string }[])[0]!.outcome).toBe("created");
    expect(await task("alert-grafanaretry-c1eadffa33fc")).toBeDefined();
  });

  it("applies a mixed group (state alerting: one alert firing, one resolved) alert by alert", async () => {
    const a = grafanaAlert({ fingerprint: "d1eadffa33fcdf01", labels: { alertname: "GrafanaMixedA" } });
    const b = grafanaCpuAlert({ fingerprint: "d2c97ff14869b302", labels: { alertname: "GrafanaMixedB" } });
    await grafanaSends(grafanaPayload([a, b]));
    const mixed = grafanaPayload([a, { ...b, status: "resolved", endsAt: "2021-10-12T10:16:03+02:00" }]);
    expect(mixed).toMatchObject({ status: "firing", state: "alerting" });
    const res = await grafanaSends(mixed);
    expect((res.json.tasks as { outcome: string }[]).map((r) => r.outcome)).toEqual(["cached", "resolved"]);
    expect((await task("alert-grafanamixeda-d1eadffa33fc"))!.spec.alert!.status).toBe("firing");
    expect((await task("alert-grafanamixedb-d2c97ff14869"))!.spec.alert!.status).toBe("resolved");
  });

  it("turns a group of 50 alerts into 50 tasks, and the repeated group into no write", async () => {
    const alerts = Array.from({ length: 50 }, (_, i) =>
      grafanaAlert({
        fingerprint: `e${i.toString(16).padStart(3, "0")}adffa33fcdf0`,
        labels: { alertname: "GrafanaGroup", instance: `node-${i}` },
      }),
    );
    let started = performance.now();
    const first = await grafanaSends(grafanaPayload(alerts));
    const createMs = performance.now() - started;
    expect(first.status).toBe(200);
    expect(new Set((first.json.tasks as { outcome: string }[]).map((r) => r.outcome))).toEqual(
      new Set(["created"]),
    );
    const list = await client.request<{ items: SreTask[] }>(
      "GET",
      `/apis/aisre.io/v1alpha1/namespaces/${ns.name}/sretasks`,
      { query: { labelSelector: "aisre.io/alertname=GrafanaGroup" } },
    );
    expect(list.items).toHaveLength(50);
    started = performance.now();
    const again = await grafanaSends(grafanaPayload(alerts));
    const repeatMs = performance.now() - started;
    expect(new Set((again.json.tasks as { outcome: string }[]).map((r) => r.outcome))).toEqual(
      new Set(["cached"]),
    );
    console.info(
      `grafana group of 50: created in ${createMs.toFixed(0)} ms, repeat answered in ${repeatMs.toFixed(0)} ms`,
    );
  });

  it("answers 400 naming the field, and 401 without the token", async () => {
    const bad = grafanaPayload([grafanaAlert({ labels: { team: "blue" } })]);
    const res = await grafanaSends(bad);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: "BadRequest", field: "alerts[0].labels.alertname" });
    const anon = await fetch(`${sidecar.url}/alerts/grafana`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(grafanaPayload([grafanaAlert()])),
    });
    expect(anon.status).toBe(401);
  });
});
