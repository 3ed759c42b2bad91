import type { Timestamp } from "./types.ts";

/** Bad input to a store function: permanent, never worth a retry. */
export class StoreInputError extends Error {
  override name = "StoreInputError";
}

/** A timestamp parameter: ISO string (millisecond precision) or null. */
export function ts(value: Timestamp | undefined | null, field = "timestamp"): string | null {
  if (value === undefined || value === null) return null;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new StoreInputError(`${field} is not a valid timestamp: ${String(value)}`);
  return date.toISOString();
}

/** A required timestamp parameter. */
export function requiredTs(value: Timestamp | undefined, field: string): string {
  const iso = ts(value, field);
  if (iso === null) throw new StoreInputError(`${field} is required`);
  return iso;
}

/** A jsonb parameter: serialised here so pg and PGlite bind it the same way; null when absent. */
export function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

/** A Kubernetes resourceVersion as a bigint parameter; it must be a decimal integer (etcd revision). */
export function resourceVersion(value: string | undefined, field = "resourceVersion"): string {
  if (typeof value !== "string" || !/^\d{1,19}$/.test(value)) {
    throw new StoreInputError(`${field} must be a decimal resourceVersion, got ${String(value)}`);
  }
  return value;
}

/** A required non-empty string parameter. */
export function required(value: string | undefined, field: string): string {
  if (typeof value !== "string" || value === "") throw new StoreInputError(`${field} is required`);
  return value;
}

/** An optional string parameter: null when absent. */
export function opt(value: string | undefined): string | null {
  return value ?? null;
}

/**
 * A statement PostgreSQL prepares once per connection under `name` and then runs without
 * parsing and, once it settles on a generic plan, without planning: for the statements every
 * task runs (planning was half of PostgreSQL's time a task, docs/scaling.md). PGlite runs the text.
 */
export interface Statement {
  readonly name: string;
  readonly text: string;
}

const statements = new Map<string, string>();

/** Declares a named statement; one name never stands for two texts (node-postgres would refuse it per connection). */
export function statement(name: string, text: string): Statement {
  const known = statements.get(name);
  if (known !== undefined && known !== text) throw new Error(`statement ${name} is declared with two texts`);
  statements.set(name, text);
  return { name, text };
}
