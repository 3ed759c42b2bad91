import type { Logger } from "../logging/logger.ts";

/** One connection's worth of SQL: what a transaction body and single statements run on. */
export interface Queryable {
  /** Runs one parameterised statement and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
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

/** Store options from the environment: DATABASE_URL, AISRE_DATA_DIR. */
export function storeOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): StoreOptions {
  const databaseUrl = env.DATABASE_URL?.trim();
  if (databaseUrl) return { databaseUrl };
  return { dataDir: env.AISRE_DATA_DIR?.trim() || DEFAULT_DATA_DIR };
}

/** Opens PostgreSQL when a URL is given, else embedded PGlite, and applies migrations. */
export async function openStore(options: StoreOptions = storeOptionsFromEnv()): Promise<Database> {
  // Dynamic imports: the demo never loads pg, a server deployment never loads the PGlite WASM.
  const db = options.databaseUrl
    ? (await import("./postgres.ts")).openPostgres(options.databaseUrl, { logger: options.logger })
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
