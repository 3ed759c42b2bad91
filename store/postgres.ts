import pg from "pg";
import { createLogger, type Logger } from "../logging/logger.ts";
import { redactDatabaseUrl, type Database, type Queryable } from "./database.ts";
import type { Statement } from "./sql.ts";

export interface PostgresOptions {
  logger?: Logger;
  /** Pool size (default 10). */
  max?: number;
  /** How long a connect may take before it fails as transient (default 5 s). */
  connectTimeoutMs?: number;
  /** Prepare named statements once per connection (default true); off behind an old PgBouncer in transaction mode. */
  preparedStatements?: boolean;
}

function queryable(client: pg.Pool | pg.PoolClient, prepared: boolean): Queryable {
  return {
    async query<T>(sql: string | Statement, params: readonly unknown[] = []): Promise<T[]> {
      const values = params as unknown[];
      const config =
        typeof sql === "string"
          ? { text: sql, values }
          : prepared
            ? { ...sql, values }
            : { text: sql.text, values };
      const result = await client.query(config);
      return result.rows as T[];
    },
    async exec(sql: string): Promise<void> {
      // Without parameters node-postgres uses the simple protocol, which takes several statements.
      await client.query(sql);
    },
  };
}

/** Opens a node-postgres pool on url; connections are made lazily, so a down server is not an error here. */
export function openPostgres(url: string, options: PostgresOptions = {}): Database {
  const log = options.logger ?? createLogger("store");
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: "aisre-operator",
  });
  // An idle client whose server went away emits "error"; unhandled, that would kill the process.
  pool.on("error", (err) => log.warn({ err: err.message }, "Lost an idle PostgreSQL connection"));
  log.info(
    { url: redactDatabaseUrl(url), preparedStatements: options.preparedStatements ?? true },
    "Opened PostgreSQL store",
  );
  const prepared = options.preparedStatements ?? true;
  const base = queryable(pool, prepared);
  return {
    kind: "postgres",
    query: base.query,
    exec: base.exec,
    transaction: (fn) => inTransaction(pool, prepared, fn),
    async close() {
      await pool.end();
      log.info("Closed PostgreSQL store");
    },
  };
}

async function inTransaction<T>(
  pool: pg.Pool,
  prepared: boolean,
  fn: (tx: Queryable) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // A checked-out client has no pool listener: catch a connection loss between statements.
  const onError = (err: Error) => (broken = err);
  client.on("error", onError);
  try {
    await client.query("BEGIN");
    const result = await fn(queryable(client, prepared));
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch((rollbackErr: Error) => (broken = rollbackErr));
    throw err;
  } finally {
    client.off("error", onError);
    // A broken connection is destroyed rather than returned to the pool.
    client.release(broken ?? false);
  }
}
