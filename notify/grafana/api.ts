/**
 * The two Grafana HTTP API calls the operator makes, as Grafana documents them
 * (developer-resources/api-reference/http-api/annotations, search, dashboard): create an
 * annotation (POST /api/annotations), authenticated with a service-account token as Bearer.
 * The token never reaches an error message or a log.
 */

/** The body of POST /api/annotations: epoch milliseconds, tags, text; dashboardUID optional. */
export interface AnnotationRequest {
  dashboardUID?: string;
  time: number;
  timeEnd?: number;
  tags: string[];
  text: string;
}

/** Grafana answered with an error status, or could not be reached (status undefined). */
export class GrafanaError extends Error {
  readonly status: number | undefined;

  constructor(message: string, status?: number) {
    super(message);
    this.name = "GrafanaError";
    this.status = status;
  }
}

/** How long one request may take. */
const TIMEOUT_MS = 5000;

/** True when trying again may help: unreachable, 429 or 5xx. */
export const retryable = (err: unknown): boolean =>
  !(err instanceof GrafanaError) || err.status === undefined || err.status === 429 || err.status >= 500;

/** GET or POST one Grafana API path with the Bearer token; the parsed JSON answer. */
export async function grafanaCall(
  baseURL: string,
  token: string,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<unknown> {
  const url = `${baseURL.replace(/\/+$/, "")}${path}`;
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: {
        accept: "application/json",
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    const e = err as Error;
    throw new GrafanaError(`${method} ${path}: ${e.name === "TimeoutError" ? "timed out" : e.message}`);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = {};
  }
  if (!res.ok) {
    const msg = (json as { message?: unknown }).message;
    throw new GrafanaError(
      `${method} ${path} answered ${res.status}${typeof msg === "string" ? `: ${msg.slice(0, 200)}` : ""}`,
      res.status,
    );
  }
  return json;
}

/** Creates an annotation; Grafana's id of it ({"message":"Annotation added","id":1}). */
export async function postAnnotation(
  baseURL: string,
  token: string,
  body: AnnotationRequest,
): Promise<number> {
  const answer = (await grafanaCall(baseURL, token, "POST", "/api/annotations", body)) as { id?: unknown };
  if (typeof answer.id !== "number")
    throw new GrafanaError("POST /api/annotations: the answer has no id", 200);
  return answer.id;
}
