// The webhook with the real Alertmanager sending to a real sidecar on the real API server:
// firing, resolved (task and incident), a retry after the sidecar answered 503 (the API server
// cut off behind a fault proxy), and a group of 50 alerts.
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { SreTask } from "../../crds/index.ts";
import type { Database } from "../../store/index.ts";
import { getIncident, openStore, upsertIncident } from "../../store/index.ts";
import { KubeClient } from "../../kube/kube-api.ts";
import { controlPlane, installCrds, itOnCluster, useNamespace } from "../support/cluster.ts";
import { alertmanagerBinary, startAlertmanager } from "./alertmanager.ts";
import type { RunningAlertmanager } from "./alertmanager.ts";
import { WEBHOOK_TOKEN, startFaultProxy, startSidecar, waitFor } from "./support.ts";
import type { FaultProxy, RunningSidecar } from "./support.ts";

const cluster = controlPlane();
const bin = cluster ? alertmanagerBinary() : undefined;
const it = itOnCluster(bin ? cluster : undefined);
const ns = useNamespace(cluster, "sc-am");

let sidecar: RunningSidecar;
let am: RunningAlertmanager;
let proxy: FaultProxy;
let store: Database;
let client: KubeClient;

async function tasks(alertname: string): Promise<SreTask[]> {
  const list = await client.request<{ items: SreTask[] }>(
    "GET",
    `/apis/aisre.io/v1alpha1/namespaces/${ns.name}/sretasks`,
    {
      query: { labelSelector: `aisre.io/alertname=${alertname}` },
    },
  );
  return list.items;
}

const counter = async (
  metric: { get(): Promise<{ values: { value: number; labels: Record<string, unknown> }[] }> },
  label?: [string, string],
) =>
  (await metric.get()).values
    .filter((v) => !label || v.labels[label[0]] === label[1])
    .reduce((n, v) => n + v.value, 0);

describe("Alertmanager → sidecar → SreTasks", () => {
  beforeAll(async () => {
    if (!cluster || !bin) return;
    await installCrds(cluster);
    client = KubeClient.fromKubeConfig(cluster.kc);
    store = await openStore({ dataDir: "memory://" });
    proxy = await startFaultProxy(cluster.kc);
    sidecar = await startSidecar(proxy.kc, { namespace: ns.name }, store);
    am = await startAlertmanager(bin, `${sidecar.url}/alerts/alertmanager`, WEBHOOK_TOKEN);
  }, 60_000);
  afterAll(async () => {
    await am?.stop();
    await sidecar?.close();
    await proxy?.close();
    await store?.close();
  });

  it("creates the task of a firing alert, then marks task and incident resolved", async () => {
    const labels = {
      alertname: "SidecarFiring",
      severity: "warning",
      namespace: "no-agentconfig-here",
      pod: "web-1",
    };
    await am.inject([{ labels, annotations: { summary: "web-1 is down" } }]);
    const [task] = await waitFor("the firing task", async () => {
      const found = await tasks("SidecarFiring");
      return found.length ? found : undefined;
    });
    expect(task!.metadata.name).toMatch(/^alert-sidecarfiring-[0-9a-f]{12}$/);
    expect(task!.spec).toMatchObject({
      source: "Alertmanager",
      alert: { status: "firing", labels, annotations: { summary: "web-1 is down" } },
    });
    expect(task!.metadata.labels).toMatchObject({
      "aisre.io/alertname": "SidecarFiring",
      "aisre.io/severity": "warning",
    });
    // The incident controller's projection, stood in for here: an open incident of the task.
    await upsertIncident(store, {
      taskUid: task!.metadata.uid!,
      taskName: task!.metadata.name!,
      taskNamespace: ns.name,
      resourceVersion: task!.metadata.resourceVersion!,
      status: "open",
      openedAt: new Date().toISOString(),
      fingerprint: task!.spec.alert!.fingerprint,
    });
    await am.inject([
      {
        labels,
        annotations: { summary: "web-1 is down" },
        endsAt: new Date(Date.now() - 1000).toISOString(),
      },
    ]);
    const resolved = await waitFor("the resolved task", async () => {
      const [t] = await tasks("SidecarFiring");
      return t?.spec.alert?.status === "resolved" ? t : undefined;
    });
    expect(resolved.spec.alert?.endsAt).toBeDefined();
    expect(resolved.status?.phase).toBeUndefined(); // status is the operator's
    const incident = await waitFor("the resolved incident", async () => {
      const d = await getIncident(store, { taskUid: task!.metadata.uid! });
      return d?.incident.status === "resolved" ? d : undefined;
    });
    expect(incident.incident.resolvedAt).not.toBeNull();
  });

  it("is retried by Alertmanager after a 503 and then creates the task", async () => {
    const unavailableBefore = await counter(sidecar.metrics.alertsRejected, ["reason", "unavailable"]);
    const createdBefore = await counter(sidecar.metrics.alertTasks, ["outcome", "created"]);
    proxy.down();
    try {
      await am.inject([{ labels: { alertname: "SidecarRetry", severity: "critical" } }]);
      await waitFor(
        "a 503 to Alertmanager",
        async () =>
          (await counter(sidecar.metrics.alertsRejected, ["reason", "unavailable"])) > unavailableBefore,
      );
      expect(await tasks("SidecarRetry").catch(() => [])).toHaveLength(0);
    } finally {
      proxy.up();
    }
    const [task] = await waitFor(
      "the task after the retry",
      async () => {
        const found = await tasks("SidecarRetry");
        return found.length ? found : undefined;
      },
      60_000,
    );
    expect(task!.spec.alert?.status).toBe("firing");
    expect(am.log()).toMatch(/503|Notify attempt failed|retry/i);
    // The task is listed a moment before the sidecar counts its create: let the count land
    // here, or the next test's baseline misses it and counts 51 creates for 50 alerts.
    await waitFor(
      "the retried create counted",
      async () => (await counter(sidecar.metrics.alertTasks, ["outcome", "created"])) > createdBefore,
    );
  });

  it("turns a group of 50 alerts into 50 tasks, and a repeated group into one write", async () => {
    const receivedBefore = await counter(sidecar.metrics.alertsReceived);
    const created0 = await counter(sidecar.metrics.alertTasks, ["outcome", "created"]);
    const alerts = Array.from({ length: 50 }, (_, i) => ({
      labels: { alertname: "SidecarGroup", severity: "info", instance: `node-${i}` },
    }));
    await am.inject(alerts);
    const created = await waitFor("50 tasks", async () => {
      const found = await tasks("SidecarGroup");
      return found.length === 50 ? found : undefined;
    });
    expect(new Set(created.map((t) => t.spec.alert?.fingerprint)).size).toBe(50);
    expect((await counter(sidecar.metrics.alertsReceived)) - receivedBefore).toBeGreaterThanOrEqual(50);
    // The API server lists a task as soon as it is stored, a moment before the sidecar counts
    // its create: wait for the counter too, or a slow machine reads it one short.
    const createdBefore = await waitFor("50 creates counted", async () => {
      const n = await counter(sidecar.metrics.alertTasks, ["outcome", "created"]);
      return n - created0 >= 50 ? n : undefined;
    });
    expect(createdBefore - created0).toBe(50);
    // A 51st alert makes Alertmanager send the whole group again: the 50 repeats are free.
    const dedupBefore = await counter(sidecar.metrics.alertsDeduplicated);
    await am.inject([
      ...alerts,
      { labels: { alertname: "SidecarGroup", severity: "info", instance: "node-50" } },
    ]);
    await waitFor("51 tasks", async () => (await tasks("SidecarGroup")).length === 51);
    await waitFor(
      "the 51st create counted",
      async () => (await counter(sidecar.metrics.alertTasks, ["outcome", "created"])) > createdBefore,
    );
    await waitFor(
      "50 deduplicated",
      async () => (await counter(sidecar.metrics.alertsDeduplicated)) - dedupBefore >= 50,
    );
    expect((await counter(sidecar.metrics.alertTasks, ["outcome", "created"])) - createdBefore).toBe(1);
  });
});
