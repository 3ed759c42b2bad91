/**
 * The optional plan-level PromQL check (spec.verification.promql): healthy when the
 * expression returns a non-empty result. An unreachable Prometheus keeps verification
 * pending (the controller's timeout decides); no Prometheus at all fails it clearly.
 */
import { failedVerify, pending, verified } from "./action.ts";
import type { VerifyResult } from "./action.ts";
import { PrometheusClient } from "../../tools/prometheus/client.ts";

/** Runs an instant query and returns the result vector (or matrix/scalar as an array). */
export type PromQuery = (expr: string) => Promise<unknown[]>;

/** An instant-query function over the shared Prometheus client (tools/prometheus). */
export function prometheusQuery(baseUrl: string, timeoutMs = 10_000): PromQuery {
  const client = new PrometheusClient(baseUrl, timeoutMs);
  return (expr) => client.query(expr);
}

/** One poll of the plan's PromQL check. */
export async function verifyPromQL(query: PromQuery | undefined, expr: string): Promise<VerifyResult> {
  if (!query)
    return failedVerify("the plan has a PromQL check but no Prometheus is configured (tools.prometheus.url)");
  try {
    const result = await query(expr);
    return result.length > 0
      ? verified(`PromQL check returned ${result.length} series`)
      : pending("PromQL check returned no result yet");
  } catch (err) {
    return pending(`PromQL check could not run: ${err instanceof Error ? err.message : String(err)}`);
  }
}
