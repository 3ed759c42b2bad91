/**
 * Incident memory on a REAL PostgreSQL from hack/postgres.sh (C locale, as the script makes it):
 * the same similarity contract the PGlite unit test runs, English and Chinese log text.
 *
 * Run alone: npx vitest run --project store test/store-similar.test.ts
 */
import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../logging/logger.ts";
import type { Database } from "../store/database.ts";
import { migrate } from "../store/migrate.ts";
import { openPostgres } from "../store/postgres.ts";
import { seedPast, similarityContract } from "../store/testing/similar-cases.ts";

const run = promisify(execFile);
const PG_DIR = path.join(tmpdir(), `aisre-postgres-similar-test-${process.pid}`);
const env = { ...process.env, AISRE_PG_DIR: PG_DIR };
const log = createLogger("store-similar-test", "error");

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

describeOnPg("incident memory on PostgreSQL", () => {
  let db: Database;
  beforeAll(async () => {
    const u = new URL(serverUrl ?? "");
    u.pathname = "/postgres";
    const admin = new pg.Client({ connectionString: u.toString() });
    await admin.connect();
    try {
      await admin.query("DROP DATABASE IF EXISTS aisre_similar WITH (FORCE)");
      await admin.query("CREATE DATABASE aisre_similar");
    } finally {
      await admin.end();
    }
    u.pathname = "/aisre_similar";
    db = openPostgres(u.toString(), { logger: log });
    await migrate(db, { logger: log });
    await seedPast(db);
  });
  afterAll(async () => db?.close());

  it("runs on a C-locale database, where pg_trgm alone would drop Chinese characters", async () => {
    const [row] = await db.query<{ ctype: string; raw: string[] }>(
      "SELECT datctype AS ctype, show_trgm('连接拒绝') AS raw FROM pg_database WHERE datname = current_database()",
    );
    expect(row!.ctype).toBe("C");
    // Why the signature folds Chinese into ASCII tokens: untouched, it has no trigram at all.
    expect(row!.raw).toEqual([]);
  });

  it("uses the trigram index for a signature lookup", async () => {
    await db.exec("SET enable_seqscan = off");
    const plan = await db.query<{ "QUERY PLAN": string }>(
      "EXPLAIN SELECT id FROM incidents WHERE signature % aisre_signature('connection refused')",
    );
    await db.exec("RESET enable_seqscan");
    expect(plan.map((r) => r["QUERY PLAN"]).join("\n")).toContain("incidents_signature_trgm");
  });

  similarityContract(() => db);
});
