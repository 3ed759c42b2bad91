import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { controlPlane, installCrds, itOnCluster, useNamespace } from "../support/cluster.ts";
import { eventually, startOperator, type OperatorProcess } from "../support/operator-process.ts";
import { createSampleTarget, createTask, sampleTask } from "../support/tasks.ts";

const run = promisify(execFile);
const cluster = controlPlane();
const it = itOnCluster(cluster);
const pgEnv = { ...process.env, AISRE_PG_DIR: path.join(tmpdir(), `aisre-pg-projection-${process.pid}`) };
const pgScript = async (cmd: string) =>
  (await run("bash", ["hack/postgres.sh", cmd], { env: pgEnv, timeout: 120_000 })).stdout.trim();
const OUTAGE_MS = Number(process.env.AISRE_TEST_DB_OUTAGE_MS ?? 60_000);

describe("incident projection survives a PostgreSQL outage (real PostgreSQL, real API server)", () => {
  const ns = useNamespace(cluster, "proj");
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
  const start = () =>
    startOperator(cluster!, {
      AISRE_WATCH_NAMESPACE: ns.name,
      AISRE_NAMESPACE: ns.name,
      AISRE_LEADER_ELECT: "false",
      AISRE_INCIDENT_STORE: "true",
      DATABASE_URL: url,
    });
  const diagnosedCount = async () =>
    Number(
      (
        await rows("SELECT count(*) AS n FROM incidents WHERE task_namespace = $1 AND status = 'diagnosed'", [
          ns.name,
        ])
      )[0]?.n,
    );

  beforeAll(async () => {
    if (!cluster) return;
    try {
      await pgScript("start");
    } catch (err) {
      throw new Error(`PostgreSQL unavailable (apt-get install postgresql): ${String(err)}`, { cause: err });
    }
    url = await pgScript("url");
    await installCrds(cluster);
    await createSampleTarget(cluster, ns.name);
    operator = start();
    await operator.waitForLog(/Started workers/);
  });
  afterAll(async () => {
    operator?.proc.kill("SIGTERM");
    await operator?.exited;
    await pgScript("stop").catch(() => undefined);
  });

  it("writes every incident and diagnosis exactly once after the database comes back", async () => {
    const before = ["a", "b", "c", "d"].map((n) => `before-${n}`);
    await Promise.all(before.map((n) => createTask(cluster!, sampleTask(ns.name, n))));
    await eventually(async () => (await diagnosedCount()) === before.length, 60_000);

    await pgScript("pause");
    const during = ["a", "b", "c", "d"].map((n) => `during-${n}`);
    await Promise.all(during.map((n) => createTask(cluster!, sampleTask(ns.name, n))));
    await new Promise((r) => setTimeout(r, OUTAGE_MS));
    expect(operator!.logs.some((l) => /Incident store unavailable/.test(String(l.msg)))).toBe(true);
    await pgScript("resume");

    const all = [...before, ...during];
    await eventually(async () => (await diagnosedCount()) === all.length, 90_000);
    const incidents = await rows(
      "SELECT task_name, count(*) AS n FROM incidents WHERE task_namespace = $1 GROUP BY task_name",
      [ns.name],
    );
    expect(incidents.map((r) => r.task_name).sort()).toEqual([...all].sort());
    expect(incidents.every((r) => Number(r.n) === 1)).toBe(true);
    const diagnoses = await rows(
      "SELECT name, count(*) AS n FROM diagnoses WHERE namespace = $1 GROUP BY name",
      [ns.name],
    );
    expect(diagnoses.map((r) => r.name).sort()).toEqual([...all].sort());
    expect(diagnoses.every((r) => Number(r.n) === 1)).toBe(true);
  });

  it("after a restart skips every task the store already holds and still projects a new one", async () => {
    const projections = async (op: OperatorProcess) => {
      const port = Number((await op.waitForLog(/Serving metrics/)).port);
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const count = (outcome: string) =>
        Number(
          new RegExp(`^aisre_incident_projections_total\\{outcome="${outcome}"\\} (\\d+)`, "m").exec(
            text,
          )?.[1] ?? 0,
        );
      return { written: count("written"), skipped: count("skipped") };
    };
    const held = await diagnosedCount();
    expect(held).toBeGreaterThan(0);
    operator!.proc.kill("SIGTERM");
    await operator!.exited;
    operator = start();
    await operator.waitForLog(/Started workers/);
    await createTask(cluster!, sampleTask(ns.name, "after-restart"));
    await eventually(async () => (await diagnosedCount()) === held + 1, 90_000);
    // Every task the store held was skipped (one read at start); only the new one was written.
    await eventually(async () => (await projections(operator!)).skipped >= held, 30_000);
    const { written } = await projections(operator!);
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(held);
  });
});
