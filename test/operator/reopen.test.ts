// A Resolved alert SreTask whose alert fires again is worked again (docs/adr/0004): the
// sidecar's own AlertTasks creates, resolves and reopens the task on the real API server, the
// operator runs as a process, and kwok makes the alerted Deployment crash-loop.
import type { CoreV1Event, V1Pod } from "@kubernetes/client-node";
import { AppsV1Api } from "@kubernetes/client-node";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { DiagnosisRun, SreTask } from "../../crds/index.ts";
import { KubeClient } from "../../kube/kube-api.ts";
import { NamespacePolicy } from "../../webhooks/alertmanager/namespace.ts";
import type { WebhookAlert } from "../../webhooks/alertmanager/schema.ts";
import { pathOf } from "../../webhooks/kube.ts";
import { SRETASK } from "../../crds/resources.ts";
import { createMetrics } from "../../webhooks/metrics.ts";
import { specAlert } from "../../webhooks/tasks/alert-spec.ts";
import { AlertTasks } from "../../webhooks/tasks/alert-tasks.ts";
import { controlPlane, installCrds, itOnCluster, kubectl, useNamespace } from "../support/cluster.ts";
import {
  eventually,
  startNamespaceOperator,
  stopOperator,
  type OperatorProcess,
} from "../support/operator-process.ts";
import { readTask } from "../support/tasks.ts";
import { kwokDeployment } from "../support/workloads.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);

const S1 = "2026-03-01T08:00:00Z";
const S2 = "2026-03-01T09:00:00Z";

/** A Deployment whose pods kwok drives into CrashLoopBackOff. */
const crashingDeployment = (name: string) =>
  kwokDeployment(name, { replicas: 1, simulate: "CrashLoopBackOff" });

describe("a Resolved alert SreTask whose alert fires again, on the real control plane", () => {
  const ns = useNamespace(cluster, "reopen");
  let operator: OperatorProcess | undefined;
  let client: KubeClient;
  let alerts: AlertTasks;

  const alertOf = (fingerprint: string, pod: string, over: Partial<WebhookAlert>): WebhookAlert => ({
    status: "firing",
    fingerprint,
    labels: { alertname: "KubePodCrashLooping", namespace: ns.name, pod, severity: "warning" },
    annotations: { summary: `Pod ${pod} is crash looping` },
    startsAt: S1,
    endsAt: "0001-01-01T00:00:00Z",
    ...over,
  });
  const task = (name: string) => readTask(cluster!, ns.name, name);
  const waitFor = (name: string, ok: (t: SreTask) => boolean, ms = 60_000) =>
    eventually(async () => {
      const t = await task(name);
      return ok(t) && t;
    }, ms);
  const runs = async (name: string): Promise<DiagnosisRun[]> => {
    const got = await kubectl(cluster!, [
      "-n",
      ns.name,
      "get",
      "diagnosisruns",
      "-l",
      `aisre.io/task=${name}`,
      "-o",
      "json",
    ]);
    return (JSON.parse(got.stdout) as { items: DiagnosisRun[] }).items;
  };
  const events = async (name: string): Promise<CoreV1Event[]> =>
    (await cluster!.core.listNamespacedEvent({ namespace: ns.name })).items.filter(
      (e) => e.involvedObject?.name === name,
    );
  /** The sidecar's reopen patch, for states the sidecar itself would not send. */
  const replaceAlert = (name: string, alert: WebhookAlert) =>
    client.request("PATCH", pathOf(SRETASK, ns.name, name), {
      contentType: "application/json-patch+json",
      body: [{ op: "replace", path: "/spec/alert", value: specAlert(alert) }],
    });

  /** Creates the crash-looping Deployment and the alert's task; returns the task once Diagnosed. */
  async function diagnosedAlertTask(app: string, fingerprint: string): Promise<SreTask> {
    const apps = cluster!.kc.makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({ namespace: ns.name, body: crashingDeployment(app) });
    const pod = await eventually(async () => {
      const list = await cluster!.core.listNamespacedPod({ namespace: ns.name, labelSelector: `app=${app}` });
      const crashing = (p: V1Pod) =>
        (p.status?.containerStatuses ?? []).some((c) => c.state?.waiting?.reason === "CrashLoopBackOff");
      return list.items.find(crashing)?.metadata?.name;
    }, 60_000);
    const ref = await alerts.apply(alertOf(fingerprint, pod, {}));
    expect(ref.outcome).toBe("created");
    return waitFor(ref.name, (t) => t.status?.phase === "Diagnosed");
  }

  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    client = KubeClient.fromKubeConfig(cluster.kc);
    const logger = pino({ level: "silent" });
    alerts = new AlertTasks({
      client,
      namespaces: new NamespacePolicy(client, ns.name, 5, logger),
      metrics: createMetrics(),
      logger,
      cacheSize: 0,
    });
    operator = await startNamespaceOperator(cluster!, ns.name);
  });
  afterAll(async () => {
    await stopOperator(operator);
  });

  it("diagnoses the new firing as episode 2 with a DiagnosisRun of its own", async () => {
    const first = await diagnosedAlertTask("checkout", "1a2b3c4d5e6f0001");
    const name = first.metadata.name!;
    const pod = first.spec.alert!.labels.pod!;
    expect(first.status).toMatchObject({ episode: 1, episodeStartsAt: S1, diagnosisRunRef: { name } });
    expect(first.status?.rootCause?.category).toBe("CrashLoop");

    const resolved = await alerts.apply(
      alertOf("1a2b3c4d5e6f0001", pod, { status: "resolved", endsAt: "2026-03-01T08:30:00Z" }),
    );
    expect(resolved.outcome).toBe("resolved");
    await waitFor(name, (t) => t.status?.phase === "Resolved");

    const reopened = await alerts.apply(alertOf("1a2b3c4d5e6f0001", pod, { startsAt: S2 }));
    expect(reopened.outcome).toBe("reopened");
    const second = await waitFor(name, (t) => t.status?.phase === "Diagnosed" && t.status.episode === 2);
    expect(second.status).toMatchObject({
      episode: 2,
      episodeStartsAt: S2,
      observedGeneration: second.metadata.generation,
      diagnosisRunRef: { name: `${name}-e2` },
      rootCause: { category: "CrashLoop" },
    });
    expect(second.status?.resolvedAt).toBeUndefined();
    expect(second.status?.conditions?.find((c) => c.type === "AlertResolved")).toMatchObject({
      status: "False",
      reason: "AlertFiring",
    });

    const byName = new Map((await runs(name)).map((r) => [r.metadata.name, r]));
    expect([...byName.keys()].sort()).toEqual([name, `${name}-e2`]);
    expect(byName.get(`${name}-e2`)?.status?.phase).toBe("Completed");
    expect(byName.get(`${name}-e2`)?.spec.alert?.startsAt).toBe(S2);
    expect(byName.get(name)?.spec.alert?.startsAt).toBe(S1);

    const reasons = (await events(name)).map((e) => [e.reason, e.type, e.message]);
    expect(reasons).toContainEqual([
      "Reopened",
      "Normal",
      "Reopened for a new firing of KubePodCrashLooping",
    ]);
    expect(operator!.logs.some((l) => l.msg === "Reopened SreTask" && l.episode === 2)).toBe(true);

    // The second episode resolves like the first.
    await alerts.apply(alertOf("1a2b3c4d5e6f0001", pod, { startsAt: S2, status: "resolved" }));
    const again = await waitFor(name, (t) => t.status?.phase === "Resolved");
    expect(again.status?.episode).toBe(2);
  });

  it("does not reopen for a firing that started no later than the resolved episode's", async () => {
    const first = await diagnosedAlertTask("cart", "2b3c4d5e6f7a0002");
    const name = first.metadata.name!;
    const pod = first.spec.alert!.labels.pod!;
    await alerts.apply(alertOf("2b3c4d5e6f7a0002", pod, { status: "resolved" }));
    await waitFor(name, (t) => t.status?.phase === "Resolved");

    for (const startsAt of [S1, "2026-03-01T07:00:00Z"]) {
      await replaceAlert(name, alertOf("2b3c4d5e6f7a0002", pod, { startsAt }));
      // Give the operator time to see the new generation; nothing may change.
      await new Promise((r) => setTimeout(r, 3_000));
      const t = await task(name);
      expect(t.spec.alert).toMatchObject({ status: "firing", startsAt });
      expect(t.status).toMatchObject({ phase: "Resolved", episode: 1, episodeStartsAt: S1 });
    }
    expect((await runs(name)).map((r) => r.metadata.name)).toEqual([name]);
    expect((await events(name)).some((e) => e.reason === "Reopened")).toBe(false);
  });
});
