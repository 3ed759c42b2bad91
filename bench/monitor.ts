// Monitoring benchmark: the cost of one anomaly-detection cycle (six golden signals of every
// workload, against a same-time baseline of 14 earlier days) on real Prometheus and
// VictoriaMetrics, for 100, 500 and 1,000 workloads, before and after the cycle read only
// same-kind days and held one signal at a time. "before" is the previous cycle kept here as
// the yardstick: all 14 days of all six signals fetched and held, then judged. The history
// holds only the windows a cycle reads (the last half hour, and an hour around the same time on
// each earlier day); one workload in ten has a p99 four times its usual. Each cycle runs in a
// child process so its peak RSS is its own. Prints queries issued, series and points read,
// wall time, peak heap and RSS above the level before the cycle; then the check cycle's
// figures (test/monitoring/measure-cycle.ts).
// Usage: node --expose-gc bench/monitor.ts [--sizes 100,500,1000] [--now <unix s>] [--skip-checks]
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import type { Point } from "../agents/anomaly/baseline.ts";
import type { CycleResult } from "../agents/anomaly/cycle.ts";
import { runAnomalyCycle } from "../agents/anomaly/cycle.ts";
import { detectAnomalies } from "../agents/anomaly/detect.ts";
import type { Signal } from "../agents/anomaly/signals.ts";
import { SIGNALS } from "../agents/anomaly/signals.ts";
import { PrometheusClient } from "../tools/prometheus/client.ts";
import { startPrometheus } from "../test/support/prometheus.ts";
import { startVictoriaMetrics } from "../test/support/victoria-metrics.ts";

const { values } = parseArgs({
  options: {
    sizes: { type: "string" },
    now: { type: "string" },
    "skip-checks": { type: "boolean" },
    child: { type: "string" },
    url: { type: "string" },
  },
});
const SIZES = (values.sizes ?? "100,500,1000").split(",").map(Number);
const DAY = 86_400;
const NOW = Math.floor(Number(values.now ?? Date.now() / 1000) / 300) * 300 - 600;
const SIGNAL_NAMES = Object.keys(SIGNALS) as Signal[];
const USUAL: Record<Signal, number> = {
  requestRate: 20,
  errorRatio: 0.002,
  latencyP99: 0.3,
  cpu: 0.4,
  memory: 3e8,
  restarts: 0,
};
const queries = Object.fromEntries(
  SIGNAL_NAMES.map((s) => [s, `sum by (namespace, workload) (bench_signal{signal="${s}"})`]),
) as Record<Signal, string>;

/** The previous cycle, the yardstick: every day of every signal fetched and held, then judged. */
async function cycleBefore(prom: PrometheusClient, t: number): Promise<CycleResult> {
  const at = (s: number) => new Date(s * 1000);
  const windows = [[t - 1800, t]];
  for (let k = 1; k <= 14; k++) windows.push([t - k * DAY - 2700, t - k * DAY + 900]);
  const data = new Map<Signal, Map<string, Point[]>>();
  for (const signal of SIGNAL_NAMES) {
    const answers = await Promise.all(
      windows.map(([s, e]) => prom.queryRange(queries[signal], at(s!), at(e!), 300)),
    );
    const bySeries = new Map<string, Point[]>();
    for (const series of answers.flat()) {
      const key = `${series.labels.namespace}/${series.labels.workload}`;
      const points = bySeries.get(key) ?? [];
      for (const [pt, v] of series.points) points.push({ t: pt, v });
      bySeries.set(key, points);
    }
    for (const points of bySeries.values()) points.sort((a, b) => a.t - b.t);
    data.set(signal, bySeries);
  }
  const r: CycleResult = { anomalies: [], queries: 90, series: 0, points: 0, gaps: [] };
  const traffic = data.get("requestRate")!;
  for (const [signal, bySeries] of data)
    for (const [key, points] of bySeries) {
      r.series++;
      r.points += points.length;
      const [namespace = "", workload = ""] = key.split("/");
      for (const anomaly of detectAnomalies(signal, points, t - 1800, { traffic: traffic.get(key) }))
        r.anomalies.push({ namespace, workload, anomaly });
    }
  return r;
}

/** Child: three cycles of one implementation; prints the median time and the peaks as JSON. */
async function child(impl: string, url: string): Promise<void> {
  const prom = new PrometheusClient(url, 300_000);
  globalThis.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const rss0 = process.memoryUsage.rss();
  let heapPeak = heap0;
  const sample = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 5);
  const times: number[] = [];
  let last: CycleResult | undefined;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    last =
      impl === "before"
        ? await cycleBefore(prom, NOW)
        : await runAnomalyCycle(prom, new Date(NOW * 1000), { queries });
    times.push(performance.now() - t0);
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }
  clearInterval(sample);
  const rssPeak = process.resourceUsage().maxRSS * 1024;
  const { anomalies, ...counts } = last!;
  console.log(
    JSON.stringify({
      ...counts,
      anomalies: anomalies.length,
      ms: times.sort((a, b) => a - b)[1],
      heapMiB: (heapPeak - heap0) / 2 ** 20,
      rssMiB: (rssPeak - rss0) / 2 ** 20,
    }),
  );
}

function windows(): number[] {
  const ts = new Set<number>();
  for (let t = NOW - 30 * 60; t <= NOW; t += 300) ts.add(t);
  for (let k = 1; k <= 14; k++)
    for (let t = NOW - k * DAY - 50 * 60; t <= NOW - k * DAY + 20 * 60; t += 300) ts.add(t);
  return [...ts].sort((a, b) => a - b);
}

function history(workloads: number): string {
  const times = windows();
  const lines = ["# TYPE bench_signal gauge"];
  for (let w = 0; w < workloads; w++)
    for (const s of SIGNAL_NAMES)
      for (const t of times) {
        const wobble = 1 + 0.03 * Math.sin(w * 7 + t / 900);
        const slow = s === "latencyP99" && w % 10 === 0 && t > NOW - 25 * 60 ? 4 : 1;
        lines.push(
          `bench_signal{namespace="ns${w % 20}",workload="w${w}",signal="${s}"} ${USUAL[s] * wobble * slow} ${t}`,
        );
      }
  lines.push("# EOF");
  return `${lines.join("\n")}\n`;
}

function measure(impl: string, url: string): Record<string, number> {
  const args = ["--expose-gc", "bench/monitor.ts", "--child", impl, "--url", url, "--now", String(NOW + 600)];
  const out = spawnSync(process.execPath, args, { encoding: "utf8", maxBuffer: 1 << 20 });
  if (out.status !== 0) throw new Error(`bench child failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split("\n").at(-1)!) as Record<string, number>;
}

async function main(): Promise<void> {
  const rows: string[][] = [];
  for (const n of SIZES) {
    const text = history(n);
    for (const [name, start] of [
      ["Prometheus", startPrometheus],
      ["VictoriaMetrics", startVictoriaMetrics],
    ] as const) {
      const tsdb = await start({ history: text });
      try {
        for (const impl of ["before", "after"]) {
          const r = measure(impl, tsdb.url);
          rows.push([
            name,
            impl,
            String(n),
            String(r.series),
            String(r.queries),
            String(r.points),
            String(r.anomalies),
            r.ms!.toFixed(0),
            r.heapMiB!.toFixed(1),
            r.rssMiB!.toFixed(1),
          ]);
        }
      } finally {
        await tsdb.stop();
      }
    }
  }
  const head = ["TSDB", "CYCLE", "WORKLOADS", "SERIES", "QUERIES", "POINTS", "ANOMALIES", "ms (median of 3)"];
  const all = [[...head, "peak heap +MiB", "peak RSS +MiB"], ...rows];
  const width = all[0]!.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
  const day = new Date(NOW * 1000).toUTCString().slice(0, 3);
  console.log(`Anomaly cycle (6 signals x workloads, 14-day same-time baseline, judged on a ${day}):`);
  for (const r of all) console.log(r.map((x, c) => x.padEnd(width[c]!)).join("  "));
  console.log("Expected anomalies: one workload in ten (p99 x4 for 25 minutes).");
  if (!values["skip-checks"]) {
    console.log("\nCheck cycle (50 checks over 1,000 series):");
    spawnSync(process.execPath, ["test/monitoring/measure-cycle.ts"], { stdio: "inherit" });
  }
}

if (values.child) await child(values.child, values.url!);
else await main();
