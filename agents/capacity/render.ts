/** The capacity report as text for a person: soonest exhaustion first, one line per key. */
import type { CapacityItem, CapacityReport } from "./collect.ts";

const pct = (n: number) => `${Math.round(n * 100)}%`;

function days(item: CapacityItem): string {
  const f = item.forecast;
  if (!f) return `- (${item.insufficient ?? "no forecast"})`;
  if (f.daysToExhaustion === null) return "not growing";
  const { earliest, latest } = f.band;
  const band = earliest === null ? "" : ` (${earliest}–${latest === null ? "?" : latest})`;
  return `${f.daysToExhaustion}d${band}`;
}

/** Columns: scope, key, resource, measure, used (last peak over capacity), days to exhaustion (80 % band). */
export function renderCapacity(report: CapacityReport, horizonDays?: number): string {
  const shown = report.items.filter(
    (i) => horizonDays === undefined || (i.forecast?.daysToExhaustion ?? Infinity) <= horizonDays,
  );
  const rows = [
    ["SCOPE", "KEY", "RESOURCE", "MEASURE", "USED", "EXHAUSTED IN"],
    ...shown.map((i) => [
      i.scope,
      i.key,
      i.resource,
      i.measure,
      i.forecast ? pct(i.forecast.utilization) : "-",
      days(i),
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join("  ")
      .trimEnd(),
  );
  if (shown.length === 0)
    lines.push(
      horizonDays === undefined
        ? "No capacity series found."
        : `Nothing runs out within ${horizonDays} days.`,
    );
  for (const g of report.gaps) lines.push(`Not checked: ${g}`);
  return lines.join("\n");
}
