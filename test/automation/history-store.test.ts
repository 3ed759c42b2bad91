/**
 * Action history and incident resolutions on a REAL PostgreSQL from hack/postgres.sh: the same
 * contract the PGlite unit test runs (store/action-history.test.ts), plus the indexes it uses;
 * and, on both backends, the risk raise and the suggestions the seeded history gives.
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
import { actionHistoryContract, NOW, seedActionHistory } from "../../store/testing/action-history-cases.ts";
import { actionHistory, incidentResolutions } from "../../store/index.ts";
import { MEMORY_DATA_DIR, openPglite } from "../../store/pglite.ts";
import { historyLine, raiseStepRisks } from "../../agents/automation/history-risk.ts";
import { suggestAutomations } from "../../agents/automation/suggest.ts";

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

const checkout = { kind: "Deployment", namespace: "shop", name: "checkout" };

/** What the seeded history means for a plan's risk and for suggestions. */
function historyUseContract(db: () => Database): void {
  it("raises RolloutUndo on checkout to high (2 of 5 failed or undone) and says so with its line", async () => {
    const records = await actionHistory(db(), { now: NOW, namespace: "shop", actions: ["RolloutUndo"] });
    const { steps, reasons } = raiseStepRisks(
      [{ name: "undo", action: "RolloutUndo", target: checkout }],
      records,
    );
    expect(steps[0]).toMatchObject({ risk: "high" });
    expect(reasons).toEqual([
      "risk raised to high: 2 of 5 RolloutUndo on shop/checkout failed or were undone",
    ]);
    // Undone 3 days ago less 52 s: whole days, rounded down.
    expect(historyLine(records[0]!, NOW)).toBe(
      "RolloutUndo on shop/checkout: 3 of 5 verified, 1 undone, 1 failed, median 60 s to verify, last undone 2 days ago",
    );
    // The good record of RestartPods on cart raises nothing.
    const cart = await actionHistory(db(), { now: NOW, namespace: "shop", actions: ["RestartPods"] });
    const kept = raiseStepRisks(
      [{ name: "r", action: "RestartPods", target: { ...checkout, name: "cart" } }],
      cart,
    );
    expect(kept.reasons).toEqual([]);
  });

  it("suggests automating RolloutUndo for CheckoutDown on checkout, learnt from 3 verified resolutions", async () => {
    const rows = await incidentResolutions(db(), { now: NOW, namespace: "shop" });
    const out = suggestAutomations(rows);
    expect(out).toEqual([
      expect.objectContaining({
        kind: "PolicyRule",
        action: "RolloutUndo",
        target: "Deployment/shop/checkout",
        trigger: "alert CheckoutDown",
        occurrences: 3,
      }),
    ]);
    expect(out[0]!.evidence).toMatch(
      /verified, 3 times in 30 days .*1 other time\(s\) it failed or was undone$/,
    );
    // Another namespace's incidents are not seen.
    expect(suggestAutomations(await incidentResolutions(db(), { now: NOW, namespace: "pay" }))).toEqual([]);
  });
}

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
  historyUseContract(() => db);
});

describe("history risk and suggestions on PGlite", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite(MEMORY_DATA_DIR);
    await migrate(db);
    await seedActionHistory(db);
  }, 120_000);
  afterAll(async () => db?.close());

  historyUseContract(() => db);
});
