import type { Logger } from "../logging/logger.ts";
import type { Statement } from "./sql.ts";

/** One connection's worth of SQL: what a transaction body and single statements run on. */
export interface Queryable {
  /** Runs one parameterised statement (PostgreSQL prepares a named one per connection) and returns its rows. */
  query<T = Record<string, unknown>>(sql: string | Statement, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/** The incident store's connection: a pg pool or an embedded PGlite, same SQL on both. */
export interface Database extends Queryable {
  readonly kind: "postgres" | "pglite";
  /** Runs fn inside BEGIN/COMMIT on one connection; rolls back when fn throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Releases every connection (or closes PGlite); the Database is unusable afterwards. */
  close(): Promise<void>;
}

/** Where the store lives: a PostgreSQL URL, else an embedded PGlite data dir ("memory://" for none). */
export interface StoreOptions {
  databaseUrl?: string;
  /** Prepare named statements on PostgreSQL (default true); false behind a PgBouncer older than 1.21 in transaction mode. */
  preparedStatements?: boolean;
  dataDir?: string;
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
  logger?: Logger;
}

/** The URL with its password masked, for logs. */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "<unparsable DATABASE_URL>";
  }
}

/** The PGlite data dir used when neither DATABASE_URL nor AISRE_DATA_DIR is set. */
export const DEFAULT_DATA_DIR = "./.aisre/pgdata";

/** Store options from the environment: DATABASE_URL, AISRE_DB_PREPARED_STATEMENTS, AISRE_DATA_DIR; throws naming a bad value. */
export function storeOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): StoreOptions {
  const databaseUrl = env.DATABASE_URL?.trim();
  if (databaseUrl) return { databaseUrl, preparedStatements: preparedStatements(env) };
  return { dataDir: env.AISRE_DATA_DIR?.trim() || DEFAULT_DATA_DIR };
}

/** AISRE_DB_PREPARED_STATEMENTS: on unless set off; a value that is neither is refused, not taken as on. */
function preparedStatements(env: NodeJS.ProcessEnv): boolean {
  const raw = env.AISRE_DB_PREPARED_STATEMENTS?.trim().toLowerCase();
  if (raw === undefined || raw === "" || ["true", "on", "1", "yes"].includes(raw)) return true;
  if (["false", "off", "0", "no"].includes(raw)) return false;
  throw new Error(
    `AISRE_DB_PREPARED_STATEMENTS=${env.AISRE_DB_PREPARED_STATEMENTS} is not a boolean (true/false)`,
  );
}

/** Opens PostgreSQL when a URL is given, else embedded PGlite, and applies migrations. */
export async function openStore(options: StoreOptions = storeOptionsFromEnv()): Promise<Database> {
  // Dynamic imports: the demo never loads pg, a server deployment never loads the PGlite WASM.
  const db = options.databaseUrl
    ? (await import("./postgres.ts")).openPostgres(options.databaseUrl, {
        logger: options.logger,
        preparedStatements: options.preparedStatements,
      })
    : await (
        await import("./pglite.ts")
      ).openPglite(options.dataDir ?? DEFAULT_DATA_DIR, { logger: options.logger });
  if (options.migrate === false) return db;
  try {
    await (await import("./migrate.ts")).migrate(db, { logger: options.logger });
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return db;
}

/** A Database that reports whether its connection was opened yet. */
export interface LazyDatabase extends Database {
  isOpen(): boolean;
}

/**
 * A Database that calls open on its first statement (once, even under concurrent first
 * statements) and retries it on the next statement after a failure; close() before any
 * statement opens nothing.
 */
export function lazyDatabase(kind: Database["kind"], open: () => Promise<Database>): LazyDatabase {
  let opening: Promise<Database> | undefined;
  let opened = false;
  const db = (): Promise<Database> => {
    opening ??= open().then(
      (d) => ((opened = true), d),
      (err: unknown) => {
        opening = undefined;
        throw err;
      },
    );
    return opening;
  };
  return {
    kind,
    isOpen: () => opened,
    query: async (sql, params) => (await db()).query(sql, params),
    exec: async (sql) => (await db()).exec(sql),
    transaction: async (fn) => (await db()).transaction(fn),
    async close() {
      const pending = opening;
      opening = undefined;
      opened = false;
      await (await pending?.catch(() => undefined))?.close();
    },
  };
}

/**
 * Like openStore, but the embedded PGlite (about 200 MiB of WASM heap) opens on the first
 * statement: an operator that never writes an incident never pays for it. PostgreSQL opens
 * at once, so a bad URL or migration fails the start-up.
 */
export async function openStoreLazily(options: StoreOptions = storeOptionsFromEnv()): Promise<Database> {
  if (options.databaseUrl) return openStore(options);
  return lazyDatabase("pglite", () => openStore(options));
}
