// Monitoring benchmark: the cost of one anomaly-detection cycle (six golden signals of every
// workload, against a same-time baseline of 14 earlier days) on real Prometheus and
// VictoriaMetrics, for 100, 300 and 1,000 workloads. The history holds only the windows a
// cycle reads (the last half hour, and an hour around the same time on each earlier day);
// one workload in ten has a p99 four times its usual. Prints queries issued, series and
// points read, wall time and heap per cycle, and the ratio of time per series to the smallest
// size of the same run; then the check cycle's figures (test/monitoring/measure-cycle.ts).
// Usage: node bench/monitor.ts [--sizes 100,300,1000] [--skip-checks]
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import type { Signal } from "../agents/anomaly/signals.ts";
import { SIGNALS } from "../agents/anomaly/signals.ts";
import { runAnomalyCycle } from "../agents/anomaly/cycle.ts";
import { PrometheusClient } from "../tools/prometheus/client.ts";
import { startPrometheus } from "../test/support/prometheus.ts";
import { startVictoriaMetrics } from "../test/support/victoria-metrics.ts";

const { values } = parseArgs({ options: { sizes: { type: "string" }, "skip-checks": { type: "boolean" } } });
const SIZES = (values.sizes ?? "100,300,1000").split(",").map(Number);
const DAY = 86_400;
const NOW = Math.floor(Date.now() / 1000 / 300) * 300 - 600;
const SIGNAL_NAMES = Object.keys(SIGNALS) as Signal[];
const USUAL: Record<Signal, number> = {
  requestRate: 20,
  errorRatio: 0.002,
  latencyP99: 0.3,
  cpu: 0.4,
  memory: 3e8,
  restarts: 0,
};

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

const queries = Object.fromEntries(
  SIGNAL_NAMES.map((s) => [s, `sum by (namespace, workload) (bench_signal{signal="${s}"})`]),
) as Record<Signal, string>;

async function cycle(url: string) {
  const prom = new PrometheusClient(url, 120_000);
  const times: number[] = [];
  let last;
  globalThis.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  let peak = heap0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    last = await runAnomalyCycle(prom, new Date(NOW * 1000), { queries });
    times.push(performance.now() - t0);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  return { ...last!, ms: times.sort((a, b) => a - b)[1]!, heapMiB: (peak - heap0) / 2 ** 20 };
}

const rows: string[][] = [];
let baselinePerSeries: number | undefined;
for (const n of SIZES) {
  const text = history(n);
  for (const [name, start] of [
    ["Prometheus", startPrometheus],
    ["VictoriaMetrics", startVictoriaMetrics],
  ] as const) {
    const tsdb = await start({ history: text });
    try {
      const r = await cycle(tsdb.url);
      const perSeries = r.ms / r.series;
      baselinePerSeries ??= perSeries;
      rows.push([
        name,
        String(n),
        String(r.series),
        String(r.queries),
        String(r.points),
        String(r.anomalies.length),
        r.ms.toFixed(0),
        r.heapMiB.toFixed(1),
        `${(perSeries / baselinePerSeries).toFixed(2)}x`,
      ]);
    } finally {
      await tsdb.stop();
    }
  }
}
const head = [
  "TSDB",
  "WORKLOADS",
  "SERIES",
  "QUERIES",
  "POINTS",
  "ANOMALIES",
  "CYCLE ms (median of 3)",
  "HEAP MiB",
  "ms/series vs first",
];
const all = [head, ...rows];
const width = head.map((_, c) => Math.max(...all.map((r) => r[c]!.length)));
console.log("Anomaly cycle (6 signals x workloads, 14-day same-time baseline):");
for (const r of all) console.log(r.map((x, c) => x.padEnd(width[c]!)).join("  "));
console.log("Expected anomalies: one workload in ten (p99 x4 for 25 minutes).");

if (!values["skip-checks"]) {
  console.log("\nCheck cycle (50 checks over 1,000 series):");
  spawnSync(process.execPath, ["test/monitoring/measure-cycle.ts"], { stdio: "inherit" });
}
