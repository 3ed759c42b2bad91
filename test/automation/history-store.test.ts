/**
 * Action history and incident resolutions on a REAL PostgreSQL from hack/postgres.sh: the same
 * contract the PGlite unit test runs (store/action-history.test.ts), plus the indexes it uses.
 *
 * Run alone: npx vitest run test/automation/history-store.test.ts
 */
import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../logging/logger.ts";
import type { Database } from "../../store/database.ts";
import { migrate } from "../../store/migrate.ts";
import { openPostgres } from "../../store/postgres.ts";
import { actionHistoryContract, seedActionHistory } from "../../store/testing/action-history-cases.ts";

const run = promisify(execFile);
const PG_DIR = path.join(tmpdir(), `aisre-postgres-history-test-${process.pid}`);
const env = { ...process.env, AISRE_PG_DIR: PG_DIR };
const log = createLogger("history-store-test", "error");

async function pgScript(command: string): Promise<string> {
  const { stdout } = await run("bash", ["hack/postgres.sh", command], { env, timeout: 120_000 });
  return stdout.trim();
}

// Started at collection time, so a missing PostgreSQL can skip (or, under CI, fail) the file.
async function startPostgres(): Promise<string | undefined> {
  try {
    await pgScript("start");
    return await pgScript("url");
  } catch (err) {
    const why = ((err as { stderr?: string }).stderr ?? String(err)).trim().split("\n").slice(-2).join(" ");
    if (process.env.CI === "true") throw new Error(`PostgreSQL unavailable under CI: ${why}`, { cause: err });
    console.warn(`skipped: no PostgreSQL (${why}); apt-get install postgresql`);
    return undefined;
  }
}

const serverUrl = await startPostgres();
const describeOnPg = serverUrl ? describe : describe.skip;

afterAll(async () => {
  if (serverUrl) await pgScript("stop");
}, 60_000);

describeOnPg("action history on PostgreSQL", () => {
  let db: Database;
  beforeAll(async () => {
    const u = new URL(serverUrl ?? "");
    u.pathname = "/postgres";
    const admin = new pg.Client({ connectionString: u.toString() });
    await admin.connect();
    try {
      await admin.query("DROP DATABASE IF EXISTS aisre_history WITH (FORCE)");
      await admin.query("CREATE DATABASE aisre_history");
    } finally {
      await admin.end();
    }
    u.pathname = "/aisre_history";
    db = openPostgres(u.toString(), { logger: log });
    await migrate(db, { logger: log });
    await seedActionHistory(db);
  });
  afterAll(async () => db?.close());

  it("reads a namespace's steps and the resolved incidents through their indexes", async () => {
    await db.exec("SET enable_seqscan = off");
    try {
      const plan = async (sql: string) =>
        (await db.query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`)).map((r) => r["QUERY PLAN"]).join("\n");
      expect(
        await plan(
          "SELECT 1 FROM remediation_actions a WHERE a.action <> 'Plan' AND a.target->>'namespace' = 'shop' AND a.occurred_at >= now() - interval '30 days'",
        ),
      ).toContain("remediation_actions_ns_occurred");
      expect(
        await plan(
          "SELECT 1 FROM incidents i WHERE i.status = 'resolved' AND i.resolved_at >= now() - interval '30 days'",
        ),
      ).toContain("incidents_status_opened");
    } finally {
      await db.exec("RESET enable_seqscan");
    }
  });

  actionHistoryContract(() => db);
});
