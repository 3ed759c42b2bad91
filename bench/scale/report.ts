// The bench's result table: each figure with this run's value, the baseline's of the same run
// (when measured) and the target of issue 16, with PASS/MISS where a target applies.

/** One printed figure. */
export interface Row {
  figure: string;
  value: number | undefined;
  unit: string;
  baseline?: number;
  /** e.g. { max: 300 } or { min: 20 } */
  target?: { max?: number; min?: number };
  note?: string;
}

const fmt = (v: number | undefined, unit: string): string => {
  if (v === undefined || Number.isNaN(v)) return "n/a";
  const digits = Math.abs(v) >= 100 || Number.isInteger(v) ? 0 : Math.abs(v) >= 10 ? 1 : 2;
  return `${v.toFixed(digits)} ${unit}`.trim();
};

function verdict(row: Row): string {
  const { target, value } = row;
  if (!target) return "";
  if (value === undefined || Number.isNaN(value)) return "MISS";
  const ok =
    (target.max === undefined || value <= target.max) && (target.min === undefined || value >= target.min);
  return ok ? "PASS" : "MISS";
}

function targetText(row: Row): string {
  const t = row.target;
  if (!t) return "";
  if (t.max !== undefined) return `<= ${fmt(t.max, row.unit)}`;
  return `>= ${fmt(t.min, row.unit)}`;
}

/** Percentile p (0..100) of xs, nearest rank. */
export function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}

/** Collects rows and prints them as they come and as one table at the end. */
export class Report {
  readonly rows: Row[] = [];

  add(row: Row): void {
    this.rows.push(row);
    const base = row.baseline === undefined ? "" : ` (baseline ${fmt(row.baseline, row.unit)})`;
    console.error(`[scale] ${row.figure}: ${fmt(row.value, row.unit)}${base}`);
  }

  /** The final table as text. */
  table(baselineName: string | undefined): string {
    const header = ["figure", "this run", ...(baselineName ? [baselineName] : []), "target", ""];
    const lines = this.rows.map((r) => [
      r.figure + (r.note ? ` (${r.note})` : ""),
      fmt(r.value, r.unit),
      ...(baselineName ? [r.baseline === undefined ? "-" : fmt(r.baseline, r.unit)] : []),
      targetText(r) || "-",
      verdict(r),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
    const row = (cells: string[]) =>
      cells
        .map((c, i) => c.padEnd(widths[i]!))
        .join(" | ")
        .trimEnd();
    return [row(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...lines.map(row)].join("\n");
  }
}
