// The generic JSON alert route on a real sidecar and API server: the minimal shape creates a
// task the CRD accepts, a resolve marks it, firing again reopens it, and bad input is a 400
// naming the field.
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { SreTask } from "../../crds/index.ts";
import { KubeClient } from "../../kube/kube-api.ts";
import { controlPlane, installCrds, itOnCluster, useNamespace } from "../support/cluster.ts";
import { WEBHOOK_TOKEN, startSidecar } from "../sidecar/support.ts";
import type { RunningSidecar } from "../sidecar/support.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const ns = useNamespace(cluster, "alerts-generic");

let sidecar: RunningSidecar;
let client: KubeClient;

async function send(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${sidecar.url}/alerts/generic`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${WEBHOOK_TOKEN}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}
const outcome = (r: { json: Record<string, unknown> }) => (r.json.tasks as { outcome: string }[])[0]!.outcome;

describe("generic JSON alerts → sidecar → SreTasks", () => {
  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    client = KubeClient.fromKubeConfig(cluster.kc);
    sidecar = await startSidecar(cluster.kc, { namespace: ns.name });
  }, 60_000);
  afterAll(async () => {
    await sidecar?.close();
  });

  it("creates, resolves and reopens a task from the minimal shape", async () => {
    const alert = { name: "ZabbixDiskFull", id: "zbx-1042", summary: "disk 95% full on node-3" };
    const created = await send({ source: "zabbix", alerts: [alert] });
    expect(created.status).toBe(200);
    expect(outcome(created)).toBe("created");
    const name = (created.json.tasks as { name: string }[])[0]!.name;
    const path = `/apis/aisre.io/v1alpha1/namespaces/${ns.name}/sretasks/${name}`;
    const task = await client.request<SreTask>("GET", path);
    expect(task.spec).toMatchObject({
      source: "Alertmanager",
      alert: {
        status: "firing",
        fingerprint: "zbx-1042",
        labels: { alertname: "ZabbixDiskFull" },
        annotations: { summary: "disk 95% full on node-3", source: "zabbix" },
      },
    });
    expect(Date.parse(task.spec.alert!.startsAt!)).toBeGreaterThan(Date.now() - 120_000);

    expect(outcome(await send({ alerts: [{ ...alert, status: "resolved" }] }))).toBe("resolved");
    expect((await client.request<SreTask>("GET", path)).spec.alert!.status).toBe("resolved");
    // Firing again after the resolve: a new episode (startsAt defaults to the receipt time).
    await new Promise((r) => setTimeout(r, 5));
    expect(outcome(await send({ alerts: [alert] }))).toBe("reopened");
    expect((await client.request<SreTask>("GET", path)).spec.alert!.status).toBe("firing");
  });

  it("answers 400 naming the field", async () => {
    const res = await send({ alerts: [{ name: "ok" }, { summary: "no name" }] });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: "BadRequest", field: "alerts[1].name" });
  });
});
