/**
 * Metric history for a real Prometheus: series defined as functions of time, written as
 * OpenMetrics and turned into TSDB blocks by Debian's `promtool tsdb create-blocks-from`,
 * so a test queries hours of realistic history the moment Prometheus starts.
 */

/** One series: its family (as `# TYPE` names it), sample name, labels, and value `secondsAgo` before the end. */
export interface HistorySeries {
  family: string;
  name: string;
  type: "counter" | "gauge" | "histogram";
  labels: Record<string, string>;
  value: (secondsAgo: number) => number;
}

/** Samples every `stepSeconds` from `spanSeconds` before `endSeconds` up to it. */
export interface HistoryWindow {
  endSeconds: number;
  spanSeconds: number;
  stepSeconds: number;
}

function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`)
    .join(",");
}

/** The OpenMetrics text of the series over the window (families contiguous, time ascending). */
export function openMetrics(series: HistorySeries[], w: HistoryWindow): string {
  const families = new Map<string, HistorySeries[]>();
  for (const s of series) families.set(s.family, [...(families.get(s.family) ?? []), s]);
  const lines: string[] = [];
  for (const [family, members] of families) {
    lines.push(`# TYPE ${family} ${members[0]!.type}`);
    for (const s of members) {
      const labels = labelText(s.labels);
      for (let ago = w.spanSeconds; ago >= 0; ago -= w.stepSeconds) {
        const t = w.endSeconds - ago;
        lines.push(`${s.name}{${labels}} ${s.value(ago)} ${t}`);
      }
    }
  }
  lines.push("# EOF");
  return `${lines.join("\n")}\n`;
}

/** A counter (`name` ends in _total) growing at a constant rate from the start of the window. */
export function counter(
  name: string,
  labels: Record<string, string>,
  perSecond: number,
  w: HistoryWindow,
): HistorySeries {
  // OpenMetrics names a counter family without its _total suffix.
  const family = name.replace(/_total$/, "");
  return { family, name, type: "counter", labels, value: (ago) => perSecond * (w.spanSeconds - ago) };
}

/** A gauge with the given value over time. */
export function gauge(
  name: string,
  labels: Record<string, string>,
  value: (secondsAgo: number) => number,
): HistorySeries {
  return { family: name, name, type: "gauge", labels, value };
}

/** How observations arrive: a rate, the cumulative share within each bucket bound, a mean. */
export interface Observations {
  perSecond: number;
  buckets: Array<[le: number, share: number]>;
  meanSeconds: number;
}

/** A latency histogram of the observations; +Inf, _count and _sum added. */
export function histogram(
  family: string,
  labels: Record<string, string>,
  o: Observations,
  w: HistoryWindow,
): HistorySeries[] {
  const { perSecond, buckets, meanSeconds } = o;
  const total = (ago: number) => perSecond * (w.spanSeconds - ago);
  const bucket = (le: string, share: number): HistorySeries => ({
    family,
    name: `${family}_bucket`,
    type: "histogram",
    labels: { ...labels, le },
    value: (ago) => Math.round(total(ago) * share),
  });
  return [
    ...buckets.map(([le, share]) => bucket(String(le), share)),
    bucket("+Inf", 1),
    { family, name: `${family}_count`, type: "histogram", labels, value: (ago) => Math.round(total(ago)) },
    { family, name: `${family}_sum`, type: "histogram", labels, value: (ago) => total(ago) * meanSeconds },
  ];
}
