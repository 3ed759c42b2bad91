/**
 * Measures one check cycle on real TSDBs: 50 checks (LIMITS.checks) over 1,000 series of which
 * 100 hold, on Prometheus (promtool-backfilled) and VictoriaMetrics (imported). Prints the
 * queries, wall time per cycle and heap per cycle. Run: npx node test/monitoring/measure-cycle.ts
 */
import type { CheckStates, MonitoringSpec } from "../../agents/monitoring/checks/index.ts";
import { acknowledge, runCycle } from "../../agents/monitoring/checks/index.ts";
import { PrometheusClient } from "../../tools/prometheus/client.ts";
import { gauge, openMetrics } from "../support/metric-history.ts";
import { startPrometheus } from "../support/prometheus.ts";
import { startVictoriaMetrics } from "../support/victoria-metrics.ts";

const SERIES = Number(process.env.SERIES ?? 1000);
const CHECKS = 50;
const CYCLES = 20;
const END = Math.floor(Date.now() / 1000 / 60) * 60;
const history = openMetrics(
  Array.from({ length: SERIES }, (_, i) =>
    gauge("queue_depth", { queue: `q${i}`, shard: String(i % CHECKS) }, () => (i % 10 === 0 ? 20 : 1)),
  ),
  { endSeconds: END, spanSeconds: 3600, stepSeconds: 60 },
);
const spec: MonitoringSpec = {
  intervalSeconds: 60,
  checks: Array.from({ length: CHECKS }, (_, k) => ({
    name: `shard-${k}`,
    promql: `queue_depth{shard="${k}"} > 10`,
    for: "2m",
  })),
};

async function measure(name: string, url: string): Promise<void> {
  const client = new PrometheusClient(url);
  let states: CheckStates = new Map();
  let queries = 0;
  const times: number[] = [];
  let opened = 0;
  const heap0 = process.memoryUsage().heapUsed;
  for (let c = 0; c < CYCLES; c++) {
    const now = (END - (CYCLES - c) * 60 - 7) * 1000;
    const t = performance.now();
    const r = await runCycle({
      config: "bench",
      spec,
      states,
      now,
      query: (e, at) => (queries++, client.query(e, at)),
    });
    times.push(performance.now() - t);
    for (const a of r.actions) {
      if (a.kind === "open") opened++;
      acknowledge(r.states.get(a.check)!, a);
    }
    states = r.states;
  }
  times.sort((a, b) => a - b);
  const heap = (process.memoryUsage().heapUsed - heap0) / 1024 / 1024;
  console.log(
    `${name}: ${SERIES} series, ${CHECKS} checks: ${queries / CYCLES} queries/cycle, ` +
      `median ${times[CYCLES >> 1]!.toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms per cycle, ` +
      `${opened} tasks opened, heap +${heap.toFixed(1)} MiB over ${CYCLES} cycles`,
  );
}

const prom = await startPrometheus({ history });
try {
  await measure("Prometheus", prom.url);
} finally {
  await prom.stop();
}
const vm = await startVictoriaMetrics({ history });
try {
  await measure("VictoriaMetrics", vm.url);
} finally {
  await vm.stop();
}
