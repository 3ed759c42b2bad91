// The capacity forecasts table on in-memory PGlite; the same cases run on a real PostgreSQL in
// test/capacity/forecasts-postgres.test.ts.
import { afterAll, beforeAll, beforeEach, describe } from "vitest";
import { forecastStoreCases } from "../test/capacity/forecast-store-cases.ts";
import type { Database } from "./database.ts";
import { migrate } from "./migrate.ts";
import { MEMORY_DATA_DIR, openPglite } from "./pglite.ts";

describe("capacity forecasts table (PGlite)", { timeout: 120_000 }, () => {
  let db: Database;
  beforeAll(async () => {
    db = await openPglite(MEMORY_DATA_DIR);
    await migrate(db);
  }, 180_000);
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.exec("DELETE FROM capacity_forecasts");
  });
  forecastStoreCases(() => db);
});
