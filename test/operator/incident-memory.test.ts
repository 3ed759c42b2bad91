/**
 * Incident memory live: the real operator process, a real API server with kwok pods that
 * crash-loop, and a real PostgreSQL. The second diagnosis of the same crashing workload says it
 * was seen before, in status.history and in a SeenBefore Event on its SreTask.
 */
import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { AppsV1Api, type CoreV1Event } from "@kubernetes/client-node";
import pg from "pg";
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { DiagnosisRun } from "../../crds/index.ts";
import { controlPlane, installCrds, itOnCluster, kubectl, useNamespace } from "../support/cluster.ts";
import {
  eventually,
  startNamespaceOperator,
  stopOperator,
  type OperatorProcess,
} from "../support/operator-process.ts";
import { createTask, readTask, sampleTask } from "../support/tasks.ts";
import { kwokDeployment } from "../support/workloads.ts";

const run = promisify(execFile);
const cluster = controlPlane();
const it = itOnCluster(cluster);
const pgEnv = { ...process.env, AISRE_PG_DIR: path.join(tmpdir(), `aisre-pg-memory-${process.pid}`) };
const pgScript = async (cmd: string) =>
  (await run("bash", ["hack/postgres.sh", cmd], { env: pgEnv, timeout: 120_000 })).stdout.trim();

describe("a diagnosis recalls the similar incidents before it (real operator, API server, PostgreSQL)", () => {
  const ns = useNamespace(cluster, "memory");
  let url = "";
  let operator: OperatorProcess | undefined;

  const rows = async (sql: string, params: unknown[] = []) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as Array<Record<string, unknown>>;
    } finally {
      await client.end();
    }
  };
  const runOf = async (task: string): Promise<DiagnosisRun | undefined> => {
    const ref = (await readTask(cluster!, ns.name, task)).status?.diagnosisRunRef?.name;
    if (!ref) return undefined;
    const got = await kubectl(cluster!, ["-n", ns.name, "get", "diagnosisrun", ref, "-o", "json"]);
    return got.code === 0 ? (JSON.parse(got.stdout) as DiagnosisRun) : undefined;
  };
  const events = async (): Promise<CoreV1Event[]> =>
    (await cluster!.core.listNamespacedEvent({ namespace: ns.name })).items;

  beforeAll(async () => {
    if (!cluster) return;
    try {
      await pgScript("start");
    } catch (err) {
      throw new Error(`PostgreSQL unavailable (apt-get install postgresql): ${String(err)}`, { cause: err });
    }
    url = await pgScript("url");
    await installCrds(cluster);
    const apps = cluster.kc.makeApiClient(AppsV1Api);
    const body = kwokDeployment("checkout", { replicas: 1, simulate: "CrashLoopBackOff" });
    await apps.createNamespacedDeployment({ namespace: ns.name, body });
    operator = await startNamespaceOperator(cluster, ns.name, {
      AISRE_INCIDENT_STORE: "true",
      DATABASE_URL: url,
    });
  });
  afterAll(async () => {
    await stopOperator(operator);
    await pgScript("stop").catch(() => undefined);
  });

  it("says 'seen once in 30 days' on the second crash of the same workload", async () => {
    await eventually(async () => {
      const pods = await cluster!.core.listNamespacedPod({
        namespace: ns.name,
        labelSelector: "app=checkout",
      });
      return pods.items.some((p) =>
        (p.status?.containerStatuses ?? []).some((c) => c.state?.waiting?.reason === "CrashLoopBackOff"),
      );
    }, 90_000);

    await createTask(cluster!, sampleTask(ns.name, "first"));
    const first = await eventually(async () => {
      const r = await runOf("first");
      // status.history is written right after the result.
      return r?.status?.phase === "Completed" && r.status.history && r;
    }, 120_000);
    expect(first.status?.rootCause?.category).toBe("CrashLoop");
    // Nothing before it: the run says so, without a SeenBefore Event.
    expect(first.status?.history).toMatchObject({
      seen: 0,
      days: 30,
      summary: "not seen in the last 30 days",
    });
    // The projection wrote its diagnosis, and the trigger its signature.
    const [row] = await eventually(async () => {
      const found = await rows(
        "SELECT signature FROM incidents WHERE task_name = 'first' AND category IS NOT NULL",
      );
      return found.length > 0 && found[0]!.signature ? found : undefined;
    }, 90_000);
    expect(String(row!.signature)).toContain("checkout");

    await createTask(cluster!, sampleTask(ns.name, "second"));
    const second = await eventually(async () => {
      const r = await runOf("second");
      return r?.status?.history && r;
    }, 120_000);
    expect(second.status?.history).toMatchObject({ seen: 1, days: 30, last: { task: `${ns.name}/first` } });
    expect(second.status?.history?.summary).toMatch(/^seen once in 30 days; /);
    expect(["workload", "signature"]).toContain(second.status?.history?.last?.match);
    const seen = await eventually(async () => {
      const list = (await events()).filter((e) => e.reason === "SeenBefore");
      return list.length >= 1 && list;
    }, 60_000);
    expect(seen.map((e) => `${e.involvedObject.kind}/${e.involvedObject.name}`)).toEqual(["SreTask/second"]);
    expect(seen[0]!.message).toContain("30 天内出现过 1 次");
  });
});
