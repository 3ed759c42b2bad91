/**
 * The store's behaviour, as one suite run on every backend: in-memory PGlite (unit tests)
 * and a real PostgreSQL (test/store.test.ts). Same migrations, same queries, same answers.
 */
import { afterAll, beforeAll, beforeEach, describe } from "vitest";
import type { Database } from "../database.ts";
import { migrationContract } from "./contract-migrations.ts";
import { projectionContract } from "./contract-projection.ts";
import { queryContract } from "./contract-queries.ts";
import { resetStore } from "./fixtures.ts";

/** The contract's open Database, set by storeContract before the first test. */
export interface StoreHolder {
  db: Database;
}

/** Defines the store contract suite; open() returns a fresh, migrated Database. */
export function storeContract(label: string, open: () => Promise<Database>): void {
  describe(`store contract (${label})`, { timeout: 60_000 }, () => {
    const store = {} as StoreHolder;
    // Creating a PGlite instance runs initdb in WASM: seconds, more on a busy machine.
    beforeAll(async () => {
      store.db = await open();
    }, 180_000);
    afterAll(async () => {
      await store.db?.close();
    });
    beforeEach(async () => {
      await resetStore(store.db);
    });
    migrationContract(store);
    projectionContract(store);
    queryContract(store);
  });
}
