/**
 * An alert storm end to end (docs/alert-storms.md): orders-db cannot start (its claim never
 * binds), its four callers crash-loop on "connection refused", and 24 alerts about them arrive
 * within seconds. The operator (its own process, on the real control plane, with a WeCom stand-in
 * at the HTTP boundary and the embedded incident store) keeps one task per alert, makes the
 * earliest the primary and all others members with the same key, sends one notification for the
 * storm, and records the group in the store. A crash-looping workload with its own cause, alerted
 * in the same window, stays its own incident with its own notification.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppsV1Api } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { SreTask } from "../../crds/index.ts";
import { startWeComStandIn, type WeComStandIn } from "../../notify/wecom/testing.ts";
import { openStore } from "../../store/index.ts";
import { getIncidentGroup, listIncidentGroups } from "../../store/incident-groups.ts";
import { controlPlane, installCrds, itOnCluster, useNamespace } from "../support/cluster.ts";
import { readPodLog, servePodLogs } from "../support/kwok-logs.ts";
import {
  eventually,
  startNamespaceOperator,
  stopOperator,
  type OperatorProcess,
} from "../support/operator-process.ts";
import { createTask, readTask } from "../support/tasks.ts";
import { kwokDeployment } from "../support/workloads.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
const CALLERS = ["cart", "checkout", "billing", "invoices"];
const ALERTS = [
  "KubePodCrashLooping",
  "KubeDeploymentReplicasMismatch",
  "HighErrorRate",
  "TargetDown",
  "SLOBurn",
  "ProbeFailed",
];
const KEY_PREFIX = "dependency:";

function alertTask(namespace: string, name: string, alertname: string, workload: string): SreTask {
  return {
    apiVersion: "aisre.io/v1alpha1",
    kind: "SreTask",
    metadata: { name, namespace },
    spec: {
      type: "Diagnose",
      source: "Alertmanager",
      target: { kind: "Deployment", namespace, name: workload },
      remediation: { mode: "Never" },
      alert: {
        fingerprint: name,
        labels: { alertname, namespace, deployment: workload, severity: "critical" },
        annotations: { summary: `${alertname} on ${workload}` },
        startsAt: new Date().toISOString(),
      },
    },
  } as SreTask;
}

describe("an alert storm becomes one incident and one notification", () => {
  const ns = useNamespace(cluster, "storm");
  let api: WeComStandIn | undefined;
  let operator: OperatorProcess | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), "aisre-storm-"));
  const sent = () =>
    (api?.requests ?? [])
      .filter((r) => r.path === "/cgi-bin/message/send")
      .map((r) => (JSON.parse(r.body) as { markdown: { content: string } }).markdown.content);

  beforeAll(async () => {
    if (!cluster) return;
    await installCrds(cluster);
    api = await startWeComStandIn();
  });
  afterAll(async () => {
    await stopOperator(operator);
    await api?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("groups 24 alerts of one failing dependency, notifies once, keeps an unrelated cause apart", async () => {
    const apps = cluster!.kc.makeApiClient(AppsV1Api);
    await cluster!.objects.create({
      apiVersion: "aisre.io/v1alpha1",
      kind: "AgentConfig",
      metadata: { name: "default", namespace: ns.name },
      spec: { alertGrouping: { windowSeconds: 300 } },
    });
    await apps.createNamespacedStatefulSet({
      namespace: ns.name,
      body: {
        metadata: { name: "orders-db" },
        spec: {
          serviceName: "orders-db",
          replicas: 1,
          selector: { matchLabels: { app: "orders-db" } },
          template: {
            metadata: { labels: { app: "orders-db" } },
            spec: {
              containers: [
                {
                  name: "postgres",
                  image: "postgres:17",
                  ports: [{ name: "pg", containerPort: 5432 }],
                  volumeMounts: [{ name: "data", mountPath: "/var/lib/postgresql/data" }],
                },
              ],
            },
          },
          volumeClaimTemplates: [
            {
              metadata: { name: "data" },
              spec: {
                accessModes: ["ReadWriteOnce"],
                storageClassName: "fast-ssd-missing",
                resources: { requests: { storage: "10Gi" } },
              },
            },
          ],
        },
      },
    });
    const svc = await cluster!.core.createNamespacedService({
      namespace: ns.name,
      body: {
        metadata: { name: "orders-db" },
        spec: { selector: { app: "orders-db" }, ports: [{ port: 5432, targetPort: "pg" }] },
      },
    });
    for (const name of [...CALLERS, "lonely"])
      await apps.createNamespacedDeployment({
        namespace: ns.name,
        body: kwokDeployment(name, { replicas: 1, simulate: "CrashLoopBackOff" }),
      });
    for (const name of [...CALLERS, "lonely"]) {
      const pod = await eventually(async () => {
        const pods = (
          await cluster!.core.listNamespacedPod({ namespace: ns.name, labelSelector: `app=${name}` })
        ).items;
        return pods.find(
          (p) => p.status?.containerStatuses?.[0]?.state?.waiting?.reason === "CrashLoopBackOff",
        );
      }, 90_000);
      const previous =
        name === "lonely"
          ? [
              "2026-12-07T01:00:00Z INFO lonely starting",
              "2026-12-07T01:00:01Z FATAL config key payment.mode is invalid",
            ]
          : [
              `2026-12-07T01:00:00Z INFO ${name} starting`,
              `2026-12-07T01:00:01Z ERROR failed to connect to \`host=orders-db\`: dial tcp ${svc.spec!.clusterIP}:5432: connect: connection refused`,
              "2026-12-07T01:00:01Z FATAL connection refused orders-db:5432, giving up",
            ];
      await servePodLogs(cluster!, ns.name, pod.metadata!.name!, { app: { previous: previous.join("\n") } });
      // kwok picks the Logs object up asynchronously: the diagnosis must read what we serve.
      await eventually(
        async () => (await readPodLog(cluster!, ns.name, pod.metadata!.name!, "app", true)).includes("FATAL"),
        60_000,
      );
    }

    operator = await startNamespaceOperator(cluster!, ns.name, {
      AISRE_INCIDENT_STORE: "true",
      AISRE_DATA_DIR: dataDir,
      AISRE_WECOM_API_BASE: api!.url,
      AISRE_WECOM_CORP_ID: "ww-test-corp",
      AISRE_WECOM_AGENT_ID: "1000002",
      AISRE_WECOM_SECRET: "storm-secret-never-in-a-message",
      AISRE_WECOM_TO_USER: "oncall",
    });

    // 24 alerts about the callers within seconds, and one about the unrelated workload.
    const names: string[] = [];
    for (let i = 0; i < 24; i++) {
      const name = `alert-${String(i).padStart(2, "0")}`;
      names.push(name);
      await createTask(
        cluster!,
        alertTask(ns.name, name, ALERTS[i % ALERTS.length]!, CALLERS[i % CALLERS.length]!),
      );
    }
    await createTask(cluster!, alertTask(ns.name, "lonely-alert", "KubePodCrashLooping", "lonely"));

    // Nothing is lost: every alert keeps its task. Once all are diagnosed, the ones whose cause is
    // the unbound claim behind orders-db are one group behind the earliest of them; the others
    // (the engine may judge a caller on its own crash) stay ungrouped.
    const diagnosed = await eventually(async () => {
      const tasks = await Promise.all(names.map((n) => readTask(cluster!, ns.name, n)));
      const chain = tasks.filter((t) => t.status?.rootCause?.category === "PVCPending");
      const settled = tasks.every((t) => t.status?.rootCause);
      if (settled && chain.length > 0 && chain.every((t) => t.status?.group?.size === chain.length))
        return tasks;
      // What the timeout message shows: each task's phase, root cause and group.
      const state = tasks.map(
        (t) =>
          `${t.metadata.name}:${t.status?.phase}:${t.status?.rootCause?.category}:${t.status?.group?.size}`,
      );
      throw new Error(state.join(" "));
    }, 300_000);
    const grouped = diagnosed.filter((t) => t.status?.group);
    const alone = diagnosed.filter((t) => !t.status?.group);
    expect(grouped.length).toBeGreaterThanOrEqual(10);
    expect(grouped.every((t) => t.status!.rootCause!.category === "PVCPending")).toBe(true);
    expect(alone.every((t) => t.status!.rootCause!.category !== "PVCPending")).toBe(true);
    const first = grouped[0]!.metadata.name!; // names sort in arrival order
    const primaries = grouped.filter((t) => t.status!.group!.role === "Primary");
    expect(primaries.map((t) => t.metadata.name)).toEqual([first]);
    const keys = new Set(grouped.map((t) => t.status!.group!.key));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(new RegExp(`^${KEY_PREFIX}`));
    expect([...keys][0]).toContain("orders-db");
    expect(grouped.every((t) => t.status!.group!.primary === first)).toBe(true);
    expect(primaries[0]!.status!.group!.summary).toMatch(
      new RegExp(`^${grouped.length} alerts, one root cause: `),
    );

    const lonely = await eventually(async () => {
      const t = await readTask(cluster!, ns.name, "lonely-alert");
      return t.status?.rootCause && t;
    }, 300_000);
    expect(lonely.status?.group).toBeUndefined();

    // One notification for the storm (after its grace), one for the unrelated cause, none for members.
    await eventually(async () => sent().some((m) => m.includes("alerts, one root cause")), 120_000);
    await eventually(async () => sent().some((m) => m.includes("lonely-alert")), 180_000);
    await new Promise((r) => setTimeout(r, 5_000)); // give a duplicate time to show up
    const messages = sent();
    // The first message after the grace, plus at most the one documented update when it grew a lot.
    const storm = messages.filter((m) => m.includes(`/${first}`));
    expect(storm.length).toBeGreaterThanOrEqual(1);
    expect(storm.length).toBeLessThanOrEqual(2);
    for (const m of storm) expect(m).toMatch(/\d+ alerts, one root cause/);
    expect(messages.filter((m) => m.includes("alerts, one root cause"))).toEqual(storm);
    for (const member of grouped.slice(1))
      expect(messages.some((m) => m.includes(`/${member.metadata.name}`))).toBe(false);
    // A task with its own cause is its own incident and speaks for itself.
    await eventually(
      async () => alone.every((t) => sent().some((m) => m.includes(`/${t.metadata.name}`))),
      120_000,
    );
    expect(messages.filter((m) => m.includes("lonely-alert"))).toHaveLength(1);
    expect(messages.join("\n")).not.toContain("storm-secret");

    // The store holds the group with every alert, after the projection caught up.
    await eventually(async () => operator!.logs.some((l) => l.msg === "Grouped an alert storm"), 10_000);
    await new Promise((r) => setTimeout(r, 5_000));
    await stopOperator(operator);
    const db = await openStore({ dataDir });
    try {
      const groups = await listIncidentGroups(db, { namespace: ns.name });
      expect(groups).toHaveLength(1);
      expect(groups[0]).toMatchObject({ primaryTask: first, size: grouped.length });
      const detail = await getIncidentGroup(db, { id: groups[0]!.id });
      expect(detail!.members.map((m) => m.taskName).sort()).toEqual(grouped.map((t) => t.metadata.name));
      expect(detail!.members.filter((m) => m.role === "Primary").map((m) => m.taskName)).toEqual([first]);
    } finally {
      await db.close();
    }
  }, 900_000);
});
