/** Store contract: migrations apply once, refuse edits, and roll back whole. */
import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../database.ts";
import { loadMigrations, migrate } from "../migrate.ts";
import type { StoreHolder } from "./contract.ts";

const MIGRATIONS = fileURLToPath(new URL("../migrations/", import.meta.url));

/** Registers these contract tests; `store.db` is open and empty before each. */
export function migrationContract(store: StoreHolder): void {
  let db: Database;
  beforeEach(() => {
    db = store.db;
  });

  describe("migrations", () => {
    it("are recorded once and a second run applies nothing", async () => {
      expect(await migrate(db)).toEqual([]);
      const rows = await db.query<{ version: number }>(
        "SELECT version FROM schema_migrations ORDER BY version",
      );
      expect(rows.map((r) => r.version)).toEqual((await loadMigrations()).map((m) => m.version));
    });

    it("refuse a migration edited after it was applied", async () => {
      const dir = await mkdtemp(path.join(tmpdir(), "aisre-migrations-"));
      try {
        await cp(MIGRATIONS, dir, { recursive: true });
        await writeFile(path.join(dir, "001_incidents.sql"), "SELECT 1;");
        await expect(migrate(db, { dir })).rejects.toThrow(/changed after it was applied/);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it("roll a failing run back whole", async () => {
      const dir = await mkdtemp(path.join(tmpdir(), "aisre-migrations-"));
      try {
        await cp(MIGRATIONS, dir, { recursive: true });
        await writeFile(path.join(dir, "900_ok.sql"), "CREATE TABLE contract_tmp (x int);");
        await writeFile(path.join(dir, "901_bad.sql"), "SELECT 1/0;");
        await expect(migrate(db, { dir })).rejects.toThrow(/division by zero/);
        const [t] = await db.query<{ t: string | null }>("SELECT to_regclass('contract_tmp')::text AS t");
        expect(t?.t).toBeNull();
        const [n] = await db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM schema_migrations WHERE version >= 900",
        );
        expect(n?.n).toBe(0);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  });
}
