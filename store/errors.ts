/**
 * Transient store errors: the database is unreachable, restarting or shedding load, so
 * the same write may succeed later. Everything else (bad SQL, constraint violations,
 * bad input) is permanent and retrying it only repeats the failure.
 */

// Node socket errors seen when PostgreSQL is down, restarting or unreachable.
const TRANSIENT_SYSCALL_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ENETDOWN",
  "EAI_AGAIN",
]);

// SQLSTATEs that mean "try again": class 08 (connection exception), shutdowns, overload,
// serialization failures and deadlocks (the transaction was rolled back whole).
const TRANSIENT_SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300", "53400", "40001", "40P01", "55P03"]);

// node-postgres reports a lost connection by message only, without a code.
const TRANSIENT_MESSAGES = [
  /connection terminated/i,
  /connection timeout/i,
  /timeout exceeded when trying to connect/i,
  /not queryable/i,
  /server closed the connection unexpectedly/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

/** True when err means the database is (temporarily) unavailable, so a retry with backoff may succeed. */
export function isTransientStoreError(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== "object" || depth > 4) return false;
  const e = err as { code?: unknown; message?: unknown; errors?: unknown; cause?: unknown };
  if (typeof e.code === "string") {
    if (TRANSIENT_SYSCALL_CODES.has(e.code) || TRANSIENT_SQLSTATES.has(e.code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(e.code)) return true;
  }
  if (typeof e.message === "string" && TRANSIENT_MESSAGES.some((re) => re.test(e.message as string)))
    return true;
  // Node's happy-eyeballs connect throws an AggregateError holding one error per address.
  if (Array.isArray(e.errors) && e.errors.some((inner) => isTransientStoreError(inner, depth + 1)))
    return true;
  return isTransientStoreError(e.cause, depth + 1);
}

/** True when err is a unique violation (SQLSTATE 23505), optionally on the named constraint. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: unknown; constraint?: unknown } | null;
  return e?.code === "23505" && (constraint === undefined || e.constraint === constraint);
}
