import { afterAll, beforeAll, describe } from "vitest";
import type { Database } from "./database.ts";
import { migrate } from "./migrate.ts";
import { MEMORY_DATA_DIR, openPglite } from "./pglite.ts";
import { actionHistoryContract, seedActionHistory } from "./testing/action-history-cases.ts";

describe("action history and incident resolutions (PGlite)", () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite(MEMORY_DATA_DIR);
    await migrate(db);
    await seedActionHistory(db);
    // PGlite's start and migrations take seconds on a loaded machine.
  }, 120_000);
  afterAll(async () => db?.close());

  actionHistoryContract(() => db);
});
