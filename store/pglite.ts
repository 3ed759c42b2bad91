import { mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { createLogger, type Logger } from "../logging/logger.ts";
import type { Database, Queryable } from "./database.ts";
import type { Statement } from "./sql.ts";

/** The data dir that keeps PGlite in memory (tests). */
export const MEMORY_DATA_DIR = "memory://";

function queryable(conn: PGlite | Transaction): Queryable {
  return {
    async query<T>(sql: string | Statement, params: readonly unknown[] = []): Promise<T[]> {
      const result = await conn.query<T>(typeof sql === "string" ? sql : sql.text, params as unknown[]);
      return result.rows;
    },
    async exec(sql: string): Promise<void> {
      await conn.exec(sql);
    },
  };
}

/**
 * Opens embedded PostgreSQL (PGlite, WASM) persisted under dataDir, or in memory for
 * "memory://". PGlite is one connection: statements and transactions are serialised, and
 * two processes must never open the same dataDir.
 */
export async function openPglite(
  dataDir: string = MEMORY_DATA_DIR,
  options: { logger?: Logger } = {},
): Promise<Database> {
  const log = options.logger ?? createLogger("store");
  const inMemory = dataDir === MEMORY_DATA_DIR;
  const dir = inMemory ? undefined : path.resolve(dataDir);
  if (dir) await mkdir(dir, { recursive: true });
  const started = Date.now();
  // pg_trgm: incident similarity (migration 006); PGlite loads extensions only at start.
  const db = await PGlite.create(dir ?? MEMORY_DATA_DIR, { extensions: { pg_trgm } });
  log.info({ dataDir: dir ?? MEMORY_DATA_DIR, ms: Date.now() - started }, "Opened embedded PGlite store");
  const base = queryable(db);
  return {
    kind: "pglite",
    query: base.query,
    exec: base.exec,
    transaction: (fn) => db.transaction((tx) => fn(queryable(tx))),
    async close() {
      await db.close();
      log.info("Closed embedded PGlite store");
    },
  };
}
