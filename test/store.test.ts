/**
 * The incident store against a REAL PostgreSQL started by hack/postgres.sh: the same
 * contract the unit tests run on PGlite, plus what only a server shows: concurrent
 * migrators, real concurrency, and an outage in the middle of a projection.
 *
 * Run alone: npx vitest run --project store
 */
import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "../logging/logger.ts";
import { openStore, type Database } from "../store/database.ts";
import { isTransientStoreError } from "../store/errors.ts";
import { upsertIncident } from "../store/incidents.ts";
import { loadMigrations, migrate } from "../store/migrate.ts";
import { openPostgres } from "../store/postgres.ts";
import { storeContract } from "../store/testing/contract.ts";
import type { IncidentInput } from "../store/types.ts";
import {
  applyEvent,
  counts,
  incidentLife,
  openInput,
  project,
  snapshot,
  type StoreEvent,
} from "../store/testing/fixtures.ts";

const run = promisify(execFile);
const PG_DIR =
  process.env.AISRE_PG_TEST_DIR ?? path.join(tmpdir(), `aisre-postgres-store-test-${process.pid}`);
const env = { ...process.env, AISRE_PG_DIR: PG_DIR };
const log = createLogger("store-test", "error");

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
    console.warn(
      `skipped: no PostgreSQL (${why}); apt-get install postgresql, then npx vitest run --project store`,
    );
    return undefined;
  }
}

const serverUrl = await startPostgres();
const describeOnPg = serverUrl ? describe : describe.skip;

function dbUrl(name: string): string {
  const u = new URL(serverUrl ?? "postgres://127.0.0.1/");
  u.pathname = `/${name}`;
  return u.toString();
}

/** Drops and recreates a database on the test server: every suite starts from nothing. */
async function freshDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: dbUrl("postgres") });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return dbUrl(name);
}

afterAll(async () => {
  if (!serverUrl) return;
  const pidFile = path.join(PG_DIR, "data", "postmaster.pid");
  const { readFile } = await import("node:fs/promises");
  const pid = Number((await readFile(pidFile, "utf8").catch(() => "")).split("\n")[0]);
  await pgScript("stop");
  if (pid) expect(() => process.kill(pid, 0), "postmaster still alive after stop").toThrow();
}, 60_000);

if (serverUrl) {
  storeContract("real PostgreSQL", async () => {
    const db = openPostgres(await freshDatabase("aisre_contract"), { logger: log });
    await migrate(db, { logger: log });
    return db;
  });
}

describeOnPg("hack/postgres.sh", () => {
  it("start is idempotent and env prints an export line", async () => {
    await pgScript("start");
    expect(await pgScript("env")).toBe(`export DATABASE_URL=${serverUrl}`);
    expect(await pgScript("status")).toContain("ready");
  });
});

describeOnPg("migrations on PostgreSQL", () => {
  it("concurrent migrators apply each migration exactly once", async () => {
    const url = await freshDatabase("aisre_migrate");
    const dbs = Array.from({ length: 4 }, () => openPostgres(url, { logger: log }));
    try {
      const results = await Promise.all(dbs.map((db) => migrate(db, { logger: log })));
      const expected = (await loadMigrations()).length;
      expect(results.map((r) => r.length).sort()).toEqual([0, 0, 0, expected]);
      const rows = await dbs[0]!.query<{ version: number; n: number }>(
        "SELECT version, count(*)::int AS n FROM schema_migrations GROUP BY version ORDER BY version",
      );
      expect(rows).toHaveLength(expected);
      expect(rows.every((r) => r.n === 1)).toBe(true);
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
    }
  });

  it("openStore with a DATABASE_URL picks pg and migrates", async () => {
    const db = await openStore({ databaseUrl: await freshDatabase("aisre_open"), logger: log });
    try {
      expect(db.kind).toBe("postgres");
      expect(await migrate(db, { logger: log })).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it("a server that is not there is a transient error", async () => {
    const db = openPostgres("postgres://postgres@127.0.0.1:1/aisre", {
      logger: log,
      connectTimeoutMs: 2_000,
    });
    try {
      const err = await db.query("SELECT 1").then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isTransientStoreError(err)).toBe(true);
    } finally {
      await db.close();
    }
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface ProjectionStats {
  applied: number;
  transientErrors: number;
  /** Distinct transient errors seen (SQLSTATE / errno, else message). */
  kinds: Set<string>;
  lastTransientAt: number;
  firstSuccessAfter: (t: number) => number | undefined;
}

/**
 * The projection controller's retry loop in miniature: `workers` consumers take events,
 * retry transient errors with exponential backoff (50 ms .. 1 s), requeue "missing", and
 * rethrow anything permanent.
 */
async function projectWithRetry(db: Database, events: StoreEvent[], workers: number, stats: ProjectionStats) {
  const queue = [...events];
  const successes: number[] = [];
  stats.firstSuccessAfter = (t) => successes.find((s) => s >= t);
  const worker = async () => {
    for (let event = queue.shift(); event; event = queue.shift()) {
      for (let backoff = 50; ; backoff = Math.min(backoff * 2, 1_000)) {
        try {
          if ((await applyEvent(db, event)) === "missing") queue.push(event);
          else stats.applied++;
          successes.push(Date.now());
          break;
        } catch (err) {
          if (!isTransientStoreError(err)) throw err;
          stats.transientErrors++;
          const e = err as { code?: string; message?: string };
          stats.kinds.add(e.code ?? e.message ?? String(err));
          stats.lastTransientAt = Date.now();
          await sleep(backoff);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, worker));
}

describeOnPg("PostgreSQL outage during a projection", () => {
  it(
    "fails writes as transient while down, catches up after restart, every row exactly once",
    { timeout: 300_000 },
    async () => {
      const lives = 40;
      const events = Array.from({ length: lives }, (_, n) => incidentLife(n)).flat();

      // What the projection must converge to: the same events, in order, with no outage.
      const reference = openPostgres(await freshDatabase("aisre_reference"), { logger: log });
      await migrate(reference, { logger: log });
      await project(reference, events);
      const expected = await snapshot(reference, { volatile: false });
      await reference.close();

      const db = openPostgres(await freshDatabase("aisre_outage"), { logger: log, connectTimeoutMs: 2_000 });
      await migrate(db, { logger: log });
      const stats: ProjectionStats = {
        applied: 0,
        transientErrors: 0,
        kinds: new Set(),
        lastTransientAt: 0,
        firstSuccessAfter: () => undefined,
      };
      const timings: Record<string, number> = {};
      const t0 = Date.now();
      let failed: unknown;
      const projection = projectWithRetry(db, events, 4, stats).catch((err: unknown) => {
        failed = err;
      });

      while (stats.applied < events.length / 4 && !failed) await sleep(5);
      expect(failed).toBeUndefined();
      const pauseStart = Date.now();
      await pgScript("pause");
      timings.pauseMs = Date.now() - pauseStart;
      const appliedAtPause = stats.applied;

      // While down, a write fails fast and is recognisably transient.
      const probe = Date.now();
      const err = await upsertIncident(db, {
        ...(events[0]!.input as IncidentInput),
        resourceVersion: "999",
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      timings.failedWriteMs = Date.now() - probe;
      expect(err, "a write during the outage must fail").toBeDefined();
      expect(isTransientStoreError(err), `not transient: ${String(err)}`).toBe(true);

      await sleep(2_000);
      expect(stats.applied - appliedAtPause, "nothing is written while the server is down").toBe(0);
      const resumeStart = Date.now();
      await pgScript("resume");
      timings.resumeMs = Date.now() - resumeStart;
      timings.outageMs = Date.now() - pauseStart;

      await projection;
      expect(failed, "a permanent error stopped the projection").toBeUndefined();
      timings.firstWriteAfterResumeMs =
        (stats.firstSuccessAfter(resumeStart + timings.resumeMs) ?? NaN) - (resumeStart + timings.resumeMs);
      timings.totalMs = Date.now() - t0;
      console.info(
        `outage test: ${events.length} events, ${stats.transientErrors} transient errors retried ` +
          `(${[...stats.kinds].join(", ")}); ` +
          `${Object.entries(timings)
            .map(([k, v]) => `${k}=${v}`)
            .join(" ")}`,
      );

      expect(stats.transientErrors).toBeGreaterThan(0);
      expect(await counts(db)).toEqual({
        incidents: lives,
        incident_tasks: lives,
        diagnoses: lives,
        remediation_actions: 3 * lives,
        chat_sessions: lives,
      });
      expect(await snapshot(db, { volatile: false })).toEqual(expected);

      // Redelivering everything (a controller resync) changes nothing at all.
      const before = await snapshot(db);
      const again = await project(db, events);
      expect(again.every((o) => o === "stale" || o === "updated")).toBe(true);
      expect(await snapshot(db)).toEqual(before);
      await db.close();
    },
  );
});

describeOnPg("prepared statements on PostgreSQL", () => {
  const prepared = async (db: Database) =>
    (await db.query<{ name: string }>("SELECT name FROM pg_prepared_statements ORDER BY name")).map(
      (r) => r.name,
    );

  it("prepares a task's statements once per connection, and none when turned off (PgBouncer)", async () => {
    const url = await freshDatabase("aisre_prepared");
    // One connection, so the statements the upserts prepared are the ones the next query sees.
    const on = openPostgres(url, { logger: log, max: 1 });
    const off = openPostgres(url, { logger: log, max: 1, preparedStatements: false });
    try {
      await migrate(on, { logger: log });
      expect(await upsertIncident(on, openInput("uid-1", 10))).toMatchObject({ outcome: "inserted" });
      expect(await upsertIncident(on, openInput("uid-1", 11))).toMatchObject({ outcome: "updated" });
      expect(await prepared(on)).toEqual(
        expect.arrayContaining(["aisre_incident_lock", "aisre_insert_incident", "aisre_task_incident"]),
      );
      // A second run reused them: still one of each, and the same answers as unprepared SQL.
      const names = await prepared(on);
      expect(new Set(names).size).toBe(names.length);
      expect(await upsertIncident(off, openInput("uid-2", 10, { fingerprint: "fp-2" }))).toMatchObject({
        outcome: "inserted",
      });
      expect(await prepared(off)).toEqual([]);
    } finally {
      await Promise.all([on.close(), off.close()]);
    }
  });
});
