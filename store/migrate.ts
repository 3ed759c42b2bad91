import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { createLogger, type Logger } from "../logging/logger.ts";
import type { Database, Queryable } from "./database.ts";

/** One migration file: store/migrations/NNN_name.sql. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

const MIGRATIONS_DIR = fileURLToPath(new URL("./migrations/", import.meta.url));
const FILE_NAME = /^(\d{3})_([a-z0-9_]+)\.sql$/;

// One advisory lock for every migrator of this schema: two operators starting at once
// (or a rolling update) apply each migration exactly once.
const LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtextextended('aisre.schema_migrations', 0))";

/** Reads the migration files of dir in version order; rejects duplicate versions. */
export async function loadMigrations(dir: string = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_NAME.exec(file);
    if (!match) throw new Error(`Migration file name ${file} is not NNN_name.sql`);
    const sql = await readFile(path.join(dir, file), "utf8");
    const version = Number(match[1]);
    if (migrations.some((m) => m.version === version))
      throw new Error(`Duplicate migration version ${version}`);
    migrations.push({
      version,
      name: match[2] ?? "",
      sql,
      checksum: createHash("sha256").update(sql).digest("hex"),
    });
  }
  return migrations;
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

async function pending(tx: Queryable, migrations: Migration[]): Promise<Migration[]> {
  await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const applied = await tx.query<AppliedRow>("SELECT version, name, checksum FROM schema_migrations");
  const byVersion = new Map(applied.map((row) => [row.version, row]));
  for (const m of migrations) {
    const row = byVersion.get(m.version);
    // An edited migration would leave databases that ran the old text silently different.
    if (row && row.checksum !== m.checksum) {
      throw new Error(
        `Migration ${m.version}_${m.name} changed after it was applied; add a new migration instead`,
      );
    }
  }
  return migrations.filter((m) => !byVersion.has(m.version));
}

/**
 * Applies the pending migrations in one transaction under an advisory lock and returns
 * the names it applied. Concurrent callers wait for the lock and then find nothing to do;
 * a failing migration rolls the whole run back.
 */
export async function migrate(
  db: Database,
  options: { dir?: string; logger?: Logger } = {},
): Promise<string[]> {
  const log = options.logger ?? createLogger("store");
  const migrations = await loadMigrations(options.dir);
  const applied = await db.transaction(async (tx) => {
    await tx.query(LOCK_SQL);
    const todo = await pending(tx, migrations);
    for (const m of todo) {
      await tx.exec(m.sql);
      await tx.query("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)", [
        m.version,
        m.name,
        m.checksum,
      ]);
    }
    return todo.map((m) => `${String(m.version).padStart(3, "0")}_${m.name}`);
  });
  if (applied.length > 0) log.info({ migrations: applied, database: db.kind }, "Applied store migrations");
  else log.debug({ database: db.kind }, "Found store schema up to date");
  return applied;
}
