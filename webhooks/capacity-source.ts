/**
 * The sidecar's one capacity report, shared by REST (/api/v1/capacity) and the console: computed
 * from AISRE_PROMETHEUS_URL at most once per five minutes, because a range query per capacity
 * kind over 14 days is not free. A report of nothing but gaps is not kept.
 */
import { LRUCache } from "lru-cache";
import type { CapacityReport } from "../agents/capacity/collect.ts";
import { collectCapacity } from "../agents/capacity/collect.ts";
import type { CapacityReportWithRightSizing } from "../agents/capacity/right-size-report.ts";
import { withRightSizing } from "../agents/capacity/right-size-report.ts";
import { PrometheusClient } from "../tools/prometheus/client.ts";
import { HttpError } from "./errors.ts";

/** The capacity answer both routes give. */
export type CapacityAnswer = { available: boolean; items: CapacityReport["items"]; gaps: string[] } & Partial<
  Pick<CapacityReportWithRightSizing, "generatedAt" | "historyDays" | "rightSizing">
>;

const TTL_MS = 5 * 60_000;
/** One report per Prometheus URL (few are ever asked for: the configured one, tests' own). */
const reports = new LRUCache<string, CapacityReportWithRightSizing>({
  max: 8,
  ttl: TTL_MS,
  fetchMethod: async (url) => {
    const prom = new PrometheusClient(url, 30_000);
    return withRightSizing(prom, await collectCapacity(prom));
  },
});

/** The report for `url` (default AISRE_PROMETHEUS_URL), optionally only what runs out within `horizon` days. */
export async function capacityAnswer(opts: { url?: string; horizon?: number } = {}): Promise<CapacityAnswer> {
  const url = opts.url ?? (process.env.AISRE_PROMETHEUS_URL?.trim() || undefined);
  if (!url) return { available: false, items: [], gaps: ["no Prometheus configured (AISRE_PROMETHEUS_URL)"] };
  const report = await reports.fetch(url);
  if (!report) throw new HttpError(503, "capacity report unavailable");
  if (report.items.length === 0 && report.gaps.length > 0) reports.delete(url);
  const horizon = opts.horizon;
  const items =
    horizon === undefined
      ? report.items
      : report.items.filter((i) => (i.forecast?.daysToExhaustion ?? Infinity) <= horizon);
  return { available: true, ...report, items };
}
