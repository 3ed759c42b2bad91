/** One sample of an instant vector: its labels and value. */
export interface Sample {
  labels: Record<string, string>;
  value: number;
}

/** One series of a range query: its labels and [unix seconds, value] points. */
export interface Series {
  labels: Record<string, string>;
  points: Array<[number, number]>;
}

/** Prometheus could not answer; the message says why (status, PromQL error, timeout). */
export class PrometheusError extends Error {}

interface ApiBody {
  status?: string;
  error?: string;
  errorType?: string;
  data?: { resultType?: string; result?: unknown };
}

type RawVector = Array<{ metric: Record<string, string>; value: [number, string] }>;
type RawMatrix = Array<{ metric: Record<string, string>; values: Array<[number, string]> }>;

/**
 * A small client of the Prometheus HTTP API (query and query_range) with a timeout per
 * request. Callers treat a PrometheusError as an evidence gap, never as a failed diagnosis.
 */
export class PrometheusClient {
  readonly baseUrl: string;
  readonly timeoutMs: number;

  constructor(baseUrl: string, timeoutMs = 10_000) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`;
    this.timeoutMs = timeoutMs;
  }

  /** Runs an instant query; a scalar answers as one unlabelled sample. */
  async query(expr: string, at?: Date): Promise<Sample[]> {
    const params: Record<string, string> = { query: expr };
    if (at) params.time = String(at.getTime() / 1000);
    const data = await this.call("api/v1/query", params);
    if (data.resultType === "scalar") {
      const [, v] = data.result as [number, string];
      return [{ labels: {}, value: Number(v) }];
    }
    return ((data.result ?? []) as RawVector).map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
  }

  /** Runs a range query from start to end with a step in seconds. */
  async queryRange(expr: string, start: Date, end: Date, stepSeconds: number): Promise<Series[]> {
    const data = await this.call("api/v1/query_range", {
      query: expr,
      start: String(start.getTime() / 1000),
      end: String(end.getTime() / 1000),
      step: String(stepSeconds),
    });
    return ((data.result ?? []) as RawMatrix).map((r) => ({
      labels: r.metric,
      points: r.values.map(([t, v]) => [t, Number(v)] as [number, number]),
    }));
  }

  private async call(path: string, params: Record<string, string>): Promise<NonNullable<ApiBody["data"]>> {
    let res: Response;
    try {
      res = await fetch(new URL(path, this.baseUrl), {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(params),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const why =
        (err as Error).name === "TimeoutError"
          ? `no answer within ${this.timeoutMs} ms`
          : (err as Error).message;
      throw new PrometheusError(`Prometheus at ${this.baseUrl} unreachable: ${why}`, { cause: err });
    }
    const body = (await res.json().catch(() => ({}))) as ApiBody;
    if (!res.ok || body.status !== "success" || !body.data) {
      throw new PrometheusError(
        `Prometheus answered ${res.status}: ${body.errorType ?? ""} ${body.error ?? "no error text"}`.trim(),
      );
    }
    return body.data;
  }
}
