/**
 * fetch for the console API: JSON in and out, the session's CSRF token on every mutating call,
 * and every failure as an ApiError that keeps the server's error, message and field.
 */
import type { ApiErrorBody } from "./types.ts";

export const API_BASE = "/console/api";

/** A refused or failed call; status 0 means the sidecar could not be reached. */
export class ApiError extends Error {
  readonly status: number;
  readonly error: string;
  readonly field: string | undefined;
  readonly apiServer: string | undefined;

  constructor(status: number, body: Partial<ApiErrorBody>) {
    super(body.message ?? body.error ?? `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.error = body.error ?? "error";
    this.field = body.field;
    this.apiServer = body.apiServer;
  }
}

let origin = "";
let csrfToken: string | undefined;

/** Where the API lives; "" (same origin) in the browser, an absolute origin in tests. */
export function setApiOrigin(value: string): void {
  origin = value;
}
let onUnauthorized: (() => void) | undefined;

/** Remembers the session's CSRF token (undefined after sign-out). */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when a call answers 401: the session has ended. */
export function setUnauthorizedHandler(handler: (() => void) | undefined): void {
  onUnauthorized = handler;
}

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

async function errorOf(res: Response): Promise<ApiError> {
  let body: Partial<ApiErrorBody>;
  try {
    body = (await res.json()) as Partial<ApiErrorBody>;
  } catch {
    body = { error: res.statusText || "error", message: `HTTP ${res.status}` };
  }
  return new ApiError(res.status, body);
}

export interface CallOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** Leave a 401 to the caller (sign-in, the session probe) instead of ending the session. */
  quiet401?: boolean;
}

/** Calls the console API; resolves with the parsed JSON (undefined for 204). */
export async function api<T>(method: string, path: string, opts: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (opts.body !== undefined) headers["Content-Type"] = "application/json";
  if (MUTATING.has(method) && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  let res: Response;
  try {
    res = await fetch(`${origin}${API_BASE}${path}`, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      credentials: "same-origin",
      signal: opts.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, { error: "network", message: String(err) });
  }
  if (!res.ok) {
    const err = await errorOf(res);
    if (res.status === 401 && !opts.quiet401) onUnauthorized?.();
    throw err;
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A query string of the defined, non-empty values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : "";
}
