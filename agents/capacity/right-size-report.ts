/**
 * Right-sizing shown with the forecast (issue 13 §3): for every namespace whose quota has a
 * forecast, its workloads' recommended requests and limits. A namespace whose usage cannot be
 * read is a gap of the report, never its end.
 */
import type { PrometheusClient } from "../../tools/prometheus/client.ts";
import type { CapacityReport } from "./collect.ts";
import type { WorkloadRightSize } from "./workloads.ts";
import { collectRightSizing, cpuQuantity, memoryQuantity } from "./workloads.ts";

/** The report with `rightSizing`: per namespace with a quota forecast, its workloads, most excess first. */
export type CapacityReportWithRightSizing = CapacityReport & { rightSizing: WorkloadRightSize[] };

/** Adds right-sizing for the namespaces of the report's quota forecasts (at most `maxNamespaces`). */
export async function withRightSizing(
  prom: PrometheusClient,
  report: CapacityReport,
  opts: { stepSeconds?: number; maxNamespaces?: number } = {},
): Promise<CapacityReportWithRightSizing> {
  const namespaces = [
    ...new Set(
      report.items.filter((i) => i.scope === "namespace" && i.forecast).map((i) => i.key.split("/")[0]!),
    ),
  ].slice(0, opts.maxNamespaces ?? 20);
  const rightSizing: WorkloadRightSize[] = [];
  const gaps = [...report.gaps];
  for (const ns of namespaces) {
    try {
      rightSizing.push(
        ...(await collectRightSizing(prom, ns, {
          historyDays: report.historyDays,
          stepSeconds: opts.stepSeconds,
          now: new Date(report.generatedAt),
        })),
      );
    } catch (err) {
      gaps.push(`right-sizing of ${ns}: ${(err as Error).message}`);
    }
  }
  return { ...report, gaps, rightSizing };
}

const q = (n: number | null, f: (n: number) => string) => (n === null ? "unset" : f(n));

/** Right-sizing as text: one line per workload container, current → recommended. */
export function renderRightSizing(items: readonly WorkloadRightSize[]): string {
  if (items.length === 0) return "";
  const rows = [
    ["NAMESPACE", "WORKLOAD", "CONTAINER", "CPU REQUEST", "MEMORY REQUEST", "MEMORY LIMIT"],
    ...items.map((w) => [
      w.namespace,
      `${w.kind}/${w.name}`,
      w.container,
      `${q(w.current.cpuCores, cpuQuantity)} → ${q(w.recommended.cpuRequestCores, cpuQuantity)}`,
      `${q(w.current.memoryBytes, memoryQuantity)} → ${q(w.recommended.memoryRequestBytes, memoryQuantity)}`,
      q(w.recommended.memoryLimitBytes, memoryQuantity),
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join("  ")
      .trimEnd(),
  );
  return ["", "Right-sizing (usage p95 CPU, peak + 15% memory; no CPU limit):", ...lines].join("\n");
}
