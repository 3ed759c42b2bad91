/**
 * The capacity forecasts table on a REAL PostgreSQL from hack/postgres.sh: the same cases the
 * PGlite unit test runs (test/capacity/forecast-store-cases.ts), plus the index plan of the
 * "latest per key" read Grafana and the console make.
 *
 * Run alone: npx vitest run --project integration test/capacity/forecasts-postgres.test.ts
 */
import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../logging/logger.ts";
import type { Database } from "../../store/database.ts";
import { migrate } from "../../store/migrate.ts";
import { openPostgres } from "../../store/postgres.ts";
import { forecastStoreCases } from "./forecast-store-cases.ts";

const run = promisify(execFile);
const PG_DIR = path.join(tmpdir(), `aisre-postgres-capacity-test-${process.pid}`);
const env = { ...process.env, AISRE_PG_DIR: PG_DIR };
const log = createLogger("capacity-store-test", "error");

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

describeOnPg("capacity forecasts table (PostgreSQL)", () => {
  let db: Database;
  beforeAll(async () => {
    const u = new URL(serverUrl ?? "");
    u.pathname = "/postgres";
    const admin = new pg.Client({ connectionString: u.toString() });
    await admin.connect();
    try {
      await admin.query("DROP DATABASE IF EXISTS aisre_capacity WITH (FORCE)");
      await admin.query("CREATE DATABASE aisre_capacity");
    } finally {
      await admin.end();
    }
    u.pathname = "/aisre_capacity";
    db = openPostgres(u.toString(), { logger: log });
    await migrate(db, { logger: log });
  });
  afterAll(async () => db?.close());
  beforeEach(async () => {
    await db.exec("DELETE FROM capacity_forecasts");
  });

  forecastStoreCases(() => db);

  it("reads one key's history through the primary key, not a scan", async () => {
    await db.exec("SET enable_seqscan = off");
    const plan = await db.query<{ "QUERY PLAN": string }>(
      `EXPLAIN SELECT * FROM capacity_forecasts WHERE scope = 'volume' AND key = 'shop/a'
         AND resource = 'storage' ORDER BY generated_at DESC LIMIT 10`,
    );
    await db.exec("RESET enable_seqscan");
    expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).toMatch(/capacity_forecasts_pkey/);
  });
});
