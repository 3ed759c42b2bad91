// Finding 3 of the trust-boundaries review: the engine copied the most telling container log
// line verbatim into the root cause, and from there into the DiagnosisRun status, the SreTask
// conditions, a Kubernetes Event and the incident row. A kwok pod crashes with a previous log
// (served by kwok's kubelet API from hack/kwok/logs/, as `kubectl logs -p` reads it) that holds
// a database password twice; the real operator diagnoses it; the password appears nowhere.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { V1Deployment, V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { DiagnosisRun } from "../../crds/index.ts";
import { createLogger } from "../../logging/logger.ts";
import { openPglite } from "../../store/pglite.ts";
import { controlPlane, installCrds, itOnCluster, useNamespace } from "../support/cluster.ts";
import {
  eventually,
  startOperator,
  stopOperator,
  type OperatorProcess,
} from "../support/operator-process.ts";
import { createTask, readTask } from "../support/tasks.ts";

const cluster = controlPlane();
const it = itOnCluster(cluster);
/** The password in hack/kwok/logs/leaky-app.previous.cri (a connection string and a --flag value). */
const SECRET = "Sup3rS3cret";

/** A Deployment whose one `leaky-app` container kwok keeps in CrashLoopBackOff. */
function leakyDeployment(namespace: string): V1Deployment {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "orders", namespace },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: "orders" } },
      template: {
        metadata: { labels: { app: "orders" }, annotations: { "aisre.io/simulate": "CrashLoopBackOff" } },
        spec: { containers: [{ name: "leaky-app", image: "registry.example.com/shop/orders:v1" }] },
      },
    },
  };
}

describe("secrets in container logs never leave the operator (finding 3)", () => {
  const ns = useNamespace(cluster, "logsecret");
  const dataDir = mkdtempSync(join(tmpdir(), "aisre-log-secrets-"));
  let operator: OperatorProcess | undefined;

  beforeAll(async () => {
    if (cluster) await installCrds(cluster);
  });
  afterAll(async () => {
    await stopOperator(operator);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("diagnoses the crash from its previous log and writes the password nowhere", async () => {
    await cluster!.objects.create(leakyDeployment(ns.name));
    const pod = await eventually(async () => {
      const pods = (await cluster!.core.listNamespacedPod({ namespace: ns.name })).items;
      return pods.find((p: V1Pod) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) > 0);
    }, 60_000);
    // The real path: the API server proxies the previous log from kwok's kubelet API.
    const served = await cluster!.core.readNamespacedPodLog({
      name: pod.metadata!.name!,
      namespace: ns.name,
      container: "leaky-app",
      previous: true,
    });
    expect(served).toContain(`postgres://app:${SECRET}!@db:5432/orders`);
    expect(served).toContain(`--db-password ${SECRET}!`);

    operator = startOperator(cluster!, {
      AISRE_WATCH_NAMESPACE: ns.name,
      AISRE_NAMESPACE: ns.name,
      AISRE_LEADER_ELECT: "false",
      AISRE_INCIDENT_STORE: "true",
      AISRE_DATA_DIR: dataDir,
      DATABASE_URL: "",
    });
    // Opening PGlite alone can take tens of seconds on a busy two-core machine.
    await operator.waitForLog(/Started workers/, 180_000);
    await createTask(cluster!, {
      apiVersion: "aisre.io/v1alpha1",
      kind: "SreTask",
      metadata: { name: "orders-crash", namespace: ns.name },
      spec: {
        type: "Diagnose",
        source: "Manual",
        description: "orders keeps restarting",
        target: { kind: "Deployment", namespace: ns.name, name: "orders" },
      },
    });
    const run = await eventually(async () => {
      const r = (await cluster!.objects.read({
        apiVersion: "aisre.io/v1alpha1",
        kind: "DiagnosisRun",
        metadata: { name: "orders-crash", namespace: ns.name },
      })) as DiagnosisRun;
      return r.status?.phase === "Completed" && r;
    }, 90_000);
    const task = await eventually(async () => {
      const t = await readTask(cluster!, ns.name, "orders-crash");
      return t.status?.conditions?.some((c) => c.type === "Diagnosed" && c.status === "True") && t;
    }, 30_000);

    // The log was read: its telling line reached the diagnosis, masked.
    const status = JSON.stringify(run.status);
    expect(status).toContain("postgres://app:***@db:5432/orders");
    expect(status).not.toContain(SECRET);
    expect(JSON.stringify(task.status)).not.toContain(SECRET);

    const events = await eventually(async () => {
      const items = (await cluster!.core.listNamespacedEvent({ namespace: ns.name })).items;
      return (
        items.some((e) => e.involvedObject?.name === "orders-crash" && e.reason === "RootCauseFound") && items
      );
    });
    for (const e of events) expect(`${e.reason}: ${e.message}`).not.toContain(SECRET);

    // Every log line of the operator (debug level), then every incident-store row once it has let go of PGlite.
    // The incident controller projects the finished run asynchronously and logs nothing on success.
    await new Promise((r) => setTimeout(r, 3_000));
    await stopOperator(operator);
    const leaked = operator!.logs.filter((l) => JSON.stringify(l).includes(SECRET));
    expect(leaked).toEqual([]);

    const db = await openPglite(dataDir, { logger: createLogger("log-secrets-test", "error") });
    try {
      const incidents = await db.query<Record<string, unknown>>(
        "SELECT * FROM incidents WHERE task_namespace = $1",
        [ns.name],
      );
      expect(incidents.length).toBeGreaterThan(0);
      const diagnoses = await db.query<Record<string, unknown>>(
        "SELECT * FROM diagnoses WHERE namespace = $1",
        [ns.name],
      );
      const rows = JSON.stringify([...incidents, ...diagnoses]);
      expect(rows).toContain("***@db:5432");
      expect(rows).not.toContain(SECRET);
    } finally {
      await db.close();
    }
  }, 600_000);
});
