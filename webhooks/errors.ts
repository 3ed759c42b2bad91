/**
 * HTTP errors of the sidecar: one JSON shape {error, message, field?} for every failure, and
 * the mapping of Kubernetes API failures to what a caller should do (4xx: fix the input, 503:
 * retry later).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import type { Logger } from "pino";
import { Type } from "@sinclair/typebox";
import { statusCode } from "../kube/kube-api.ts";

/** The body of every error response. */
export const ErrorBody = Type.Object(
  {
    error: Type.String({ description: "CamelCase error name, e.g. BadRequest or Forbidden." }),
    message: Type.String({ description: "What went wrong, for a person." }),
    field: Type.Optional(
      Type.String({ description: "The input field at fault, e.g. alerts[0].labels.alertname." }),
    ),
  },
  { description: "An error." },
);

const NAMES: Record<number, string> = {
  400: "BadRequest",
  401: "Unauthorized",
  403: "Forbidden",
  404: "NotFound",
  405: "MethodNotAllowed",
  406: "NotAcceptable",
  409: "Conflict",
  413: "PayloadTooLarge",
  415: "UnsupportedMediaType",
  429: "TooManyRequests",
  500: "InternalError",
  503: "ServiceUnavailable",
};

/** The CamelCase error name of an HTTP status. */
export const errorName = (status: number): string =>
  NAMES[status] ?? (status < 500 ? "BadRequest" : "InternalError");

/** Seconds a client should wait before retrying after a 503. */
export const RETRY_AFTER_SECONDS = 5;

/** An error that becomes an HTTP response. */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly field?: string;

  constructor(statusCode: number, message: string, field?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "HttpError";
    this.statusCode = statusCode;
    this.field = field;
  }
}

/** True for a failure to talk to the server at all: refused, reset, DNS, TLS, timeout. */
export function isNetworkError(err: unknown, depth = 0): boolean {
  if (typeof err !== "object" || err === null || depth > 4) return false;
  const e = err as { name?: unknown; message?: unknown; code?: unknown; cause?: unknown };
  if (e.name === "AbortError" || e.name === "TimeoutError") return true;
  if (typeof e.code === "string" && /^(E[A-Z_]+|UND_ERR_[A-Z_]+)$/.test(e.code)) return true;
  if (e.name === "TypeError" && e.message === "fetch failed") return true;
  return isNetworkError(e.cause, depth + 1);
}

/** True when the API server could not be reached or asked us to come back later (network, 5xx, 429). */
export function isKubeUnavailable(err: unknown): boolean {
  const code = statusCode(err);
  if (code === undefined) return isNetworkError(err);
  return code >= 500 || code === 429;
}

/** The field the API server blamed for a 422, as `spec.alert.labels`. */
function kubeField(err: unknown): string | undefined {
  const body = (err as { body?: unknown }).body as
    { details?: { causes?: { field?: unknown }[] } } | undefined;
  const field = body?.details?.causes?.find((c) => typeof c.field === "string")?.field;
  return typeof field === "string" ? field : undefined;
}

/** The API server's message of an ApiException, without the HTTP noise. */
function kubeMessage(err: unknown): string {
  const body = (err as { body?: unknown }).body as { message?: unknown } | undefined;
  if (typeof body?.message === "string") return body.message;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Maps a failed Kubernetes call to an HttpError: unreachable/5xx/429 → 503 (retry), 404 and 409
 * pass through, 400/422 → 400 naming the field, the sidecar's own 401/403 → 500 (its RBAC is
 * broken, not the caller's).
 */
export function fromKubeError(err: unknown, what: string): HttpError {
  if (err instanceof HttpError) return err;
  if (isKubeUnavailable(err))
    return new HttpError(503, `Kubernetes API unavailable while ${what}`, undefined, { cause: err });
  const code = statusCode(err)!;
  if (code === 404) return new HttpError(404, `${what}: not found`);
  if (code === 409) return new HttpError(409, `${what}: ${kubeMessage(err)}`);
  if (code === 400 || code === 422) return new HttpError(400, kubeMessage(err), kubeField(err));
  return new HttpError(500, `${what}: the sidecar's request was refused (HTTP ${code}); check its RBAC`);
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: { missingProperty?: string; additionalProperty?: string };
}

/** "/alerts/0/labels" + missing "alertname" → "alerts[0].labels.alertname". */
export function fieldOf(e: AjvError, context?: string): string {
  const parts = e.instancePath.split("/").slice(1);
  const extra = e.params.missingProperty ?? e.params.additionalProperty;
  if (extra !== undefined) parts.push(extra);
  let field = "";
  for (const p of parts.map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))) {
    field += /^\d+$/.test(p) ? `[${p}]` : field ? `.${p}` : p;
  }
  if (!field && context && context !== "body") return context;
  return field || "body";
}

function validationError(err: FastifyError): HttpError {
  const first = err.validation?.[0] as AjvError | undefined;
  if (!first) return new HttpError(400, err.message);
  const field = fieldOf(first, err.validationContext);
  const where =
    err.validationContext === "body" || !err.validationContext ? "" : ` (${err.validationContext})`;
  const what = first.keyword === "required" ? "is required" : (first.message ?? "is invalid");
  return new HttpError(400, `${field} ${what}${where}`, field);
}

/** Turns any error into an HttpError; unknown errors become 500. */
export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  const fe = err as FastifyError;
  if (fe?.validation) return validationError(fe);
  if (typeof fe?.statusCode === "number" && fe.statusCode >= 400 && fe.statusCode < 500)
    return new HttpError(fe.statusCode, fe.message);
  if (statusCode(err) !== undefined || isKubeUnavailable(err))
    return fromKubeError(err, "calling Kubernetes");
  return new HttpError(500, "internal error");
}

/** Sends an HttpError as JSON, with Retry-After on 503 and 429. */
export function sendError(reply: FastifyReply, err: HttpError): FastifyReply {
  if (err.statusCode === 503) void reply.header("retry-after", String(RETRY_AFTER_SECONDS));
  if (err.statusCode === 401) void reply.header("www-authenticate", 'Bearer realm="aisre"');
  const body: { error: string; message: string; field?: string } = {
    error: errorName(err.statusCode),
    message: err.message,
  };
  if (err.field !== undefined) body.field = err.field;
  return reply.code(err.statusCode).type("application/json").send(body);
}

const causeOf = (err: Error): string | undefined => {
  const cause = err.cause as { message?: unknown; code?: unknown; cause?: { code?: unknown } } | undefined;
  if (!cause) return undefined;
  const code = cause.code ?? cause.cause?.code;
  return [code, cause.message].filter((x) => x !== undefined).join(" ");
};

/** The Fastify error handler: JSON errors, 5xx logged with the cause. */
export function errorHandler(logger: Logger) {
  return (err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const http = toHttpError(err);
    const route = request.routeOptions.url;
    // An outage is expected weather (the caller retries): one warn line, no stack.
    if (http.statusCode === 503)
      logger.warn({ route, reason: http.message, cause: causeOf(http) }, "Answered 503");
    else if (http.statusCode >= 500) logger.error({ err, route }, "Failed request");
    return sendError(reply, http);
  };
}
