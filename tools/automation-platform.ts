/**
 * A small client of the operations platform's automation API: start a script
 * (POST {baseURL}/api/automation/execute) and read an execution's status
 * (GET {baseURL}/api/automation/executions/{id}), with a Bearer token and a timeout per
 * request. The platform is assumed to honour the Idempotency-Key header: a repeated key
 * returns the execution it already started instead of starting another
 * (docs/integrations/automation.md).
 */

/** What the platform reports of one execution. */
export type ExecutionStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled" | "unknown";

/** One execution as the platform answers it. */
export interface Execution {
  id: string;
  status: ExecutionStatus;
  message: string;
  dryRun: boolean;
}

/** The execute request's JSON body, as the platform documents it. */
export interface ExecuteRequest {
  script_id: string;
  parameters: Record<string, string>;
  initiated_by: string;
  dry_run?: boolean;
}

/** The platform could not be reached or refused; status is the HTTP status when there was one. */
export class AutomationPlatformError extends Error {
  readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super(message);
    this.name = "AutomationPlatformError";
    this.status = status;
  }
}

/** How the client reaches the platform. */
export interface AutomationPlatformOptions {
  baseURL: string;
  /** Bearer token (from a Secret); never logged, never part of an error message. */
  token?: string;
  timeoutMs?: number;
}

const STATUSES: readonly ExecutionStatus[] = ["queued", "running", "succeeded", "failed", "cancelled"];

/** True when an execution has ended. */
export const finished = (e: Execution): boolean =>
  e.status === "succeeded" || e.status === "failed" || e.status === "cancelled";

/** Reads the execution out of a platform answer ({execution_id|id, status, message?, dry_run?}). */
function executionOf(body: unknown, what: string): Execution {
  const b = (body ?? {}) as Record<string, unknown>;
  const id = b.execution_id ?? b.id;
  if (typeof id !== "string" && typeof id !== "number")
    throw new AutomationPlatformError(`${what}: the answer names no execution_id`);
  const raw = typeof b.status === "string" ? b.status.toLowerCase() : "";
  const status = STATUSES.find((s) => s === raw) ?? "unknown";
  const message = typeof b.message === "string" ? b.message.slice(0, 512) : "";
  return { id: String(id), status, message, dryRun: b.dry_run === true };
}

/** The client; one per configured platform. */
export class AutomationPlatformClient {
  readonly baseURL: string;
  readonly #token: string | undefined;
  readonly #timeoutMs: number;

  constructor(options: AutomationPlatformOptions) {
    this.baseURL = options.baseURL.replace(/\/+$/, "");
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Starts (or, for a key already seen, finds) an execution of a script. */
  async execute(request: ExecuteRequest, idempotencyKey: string): Promise<Execution> {
    const body = await this.#call("POST", "/api/automation/execute", request, idempotencyKey);
    return executionOf(body, `execute ${request.script_id}`);
  }

  /** The current status of an execution. */
  async execution(id: string): Promise<Execution> {
    const body = await this.#call("GET", `/api/automation/executions/${encodeURIComponent(id)}`);
    return executionOf(body, `execution ${id}`);
  }

  async #call(method: string, path: string, json?: unknown, idempotencyKey?: string): Promise<unknown> {
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    if (json !== undefined) headers["content-type"] = "application/json";
    if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
    let res: Response;
    try {
      res = await fetch(`${this.baseURL}${path}`, {
        method,
        headers,
        body: json === undefined ? undefined : JSON.stringify(json),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (err) {
      const e = err as Error;
      const why = e.name === "TimeoutError" ? `no answer within ${this.#timeoutMs} ms` : e.message;
      throw new AutomationPlatformError(`${method} ${path}: ${why}`);
    }
    const text = await res.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = { message: text.slice(0, 200) };
    }
    if (!res.ok) {
      const msg = (body as { message?: unknown }).message;
      const why = typeof msg === "string" ? `: ${msg.slice(0, 200)}` : "";
      throw new AutomationPlatformError(`${method} ${path} answered ${res.status}${why}`, res.status);
    }
    return body;
  }
}
