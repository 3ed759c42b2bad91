// The anomaly detector on history read back from real time-series databases: part of the
// labelled set (two workloads of each anomaly kind and two without) written as OpenMetrics,
// backfilled into Prometheus with promtool and imported into VictoriaMetrics, then queried
// with query_range exactly as the monitoring agent does. Scores must equal the in-memory run.
import { describe, expect, it } from "vitest";
import type { Point } from "../../agents/anomaly/baseline.ts";
import { otherKindDay } from "../../agents/anomaly/baseline.ts";
import { runAnomalyCycle } from "../../agents/anomaly/cycle.ts";
import { detectAnomalies } from "../../agents/anomaly/detect.ts";
import { evaluate } from "../../agents/anomaly/evaluate.ts";
import type { LabelledWorkload } from "../../agents/anomaly/labelled.ts";
import {
  EVAL_FROM_DAY,
  LABELLED_DAYS,
  LABELLED_START,
  labelledWorkloads,
} from "../../agents/anomaly/labelled.ts";
import type { Signal } from "../../agents/anomaly/signals.ts";
import { SIGNALS } from "../../agents/anomaly/signals.ts";
import { PrometheusClient } from "../../tools/prometheus/client.ts";
import { usePrometheus } from "../support/prometheus.ts";
import { useVictoriaMetrics } from "../support/victoria-metrics.ts";

const DAY = 86_400;
const WEEK = 7 * DAY;
// Whole weeks, so weekdays stay weekdays: the set ends within the last week.
const SHIFT = Math.floor((Date.now() / 1000 - 3600 - (LABELLED_START + LABELLED_DAYS * DAY)) / WEEK) * WEEK;
const SIGNAL_NAMES = Object.keys(SIGNALS) as Signal[];

const subset: LabelledWorkload[] = (() => {
  const all = labelledWorkloads();
  const anomalous = SIGNAL_NAMES.flatMap((s) => all.filter((w) => w.anomaly?.signal === s).slice(0, 2));
  return [...anomalous, ...all.filter((w) => !w.anomaly).slice(0, 2)];
})();

function history(): string {
  const lines = ["# TYPE aisre_test_signal gauge"];
  for (const w of subset)
    for (const s of SIGNAL_NAMES)
      for (const p of w.signals[s])
        lines.push(`aisre_test_signal{workload="${w.name}",signal="${s}"} ${p.v} ${p.t + SHIFT}`);
  lines.push("# EOF");
  return `${lines.join("\n")}\n`;
}

async function readBack(url: string): Promise<LabelledWorkload[]> {
  const client = new PrometheusClient(url, 60_000);
  const start = new Date((LABELLED_START + SHIFT) * 1000);
  const end = new Date((LABELLED_START + SHIFT + LABELLED_DAYS * DAY - 300) * 1000);
  const out: LabelledWorkload[] = [];
  for (const w of subset) {
    const series = await client.queryRange(`aisre_test_signal{workload="${w.name}"}`, start, end, 300);
    const signals = {} as Record<Signal, Point[]>;
    for (const s of SIGNAL_NAMES) {
      const found = series.find((x) => x.labels.signal === s);
      signals[s] = (found?.points ?? []).map(([t, v]) => ({ t: t - SHIFT, v }));
    }
    out.push({ ...w, signals });
  }
  return out;
}

const from = () => LABELLED_START + EVAL_FROM_DAY * DAY;

/** Earlier days some judged time of a cycle at `now` sees as its own kind of day. */
const sameKindDays = (now: number) =>
  Array.from({ length: 14 }, (_, i) => i + 1).filter((k) =>
    Array.from({ length: 7 }, (_, j) => now - 1800 + j * 300).some((t) => !otherKindDay(t, k)),
  ).length;

describe.each([
  ["Prometheus", usePrometheus],
  ["VictoriaMetrics", useVictoriaMetrics],
] as const)("anomaly detection on %s", (name, use) => {
  const tsdb = use({ history, timeoutMs: 300_000 });

  it("reads the labelled history back whole and scores as in memory", async (t) => {
    if (tsdb.missing) return t.skip();
    const read = await readBack(tsdb.current!.url);
    for (const [i, w] of read.entries())
      for (const s of SIGNAL_NAMES)
        expect(w.signals[s].length, `${w.name} ${s}`).toBe(subset[i]!.signals[s].length);
    const fromTsdb = evaluate(read, from);
    const inMemory = evaluate(subset, from);
    console.log(
      `${name}: precision ${(fromTsdb.precision * 100).toFixed(1)} %, recall ${(fromTsdb.recall * 100).toFixed(1)} % on ${subset.length} workloads`,
    );
    expect(fromTsdb.alarms).toBe(inMemory.alarms);
    expect(fromTsdb.truePositives).toBe(inMemory.truePositives);
    expect(fromTsdb.recall).toBeGreaterThanOrEqual(0.9);
    expect(fromTsdb.precision).toBeGreaterThanOrEqual(0.9);
  }, 300_000);

  it("finds the anomaly in one cycle of grouped queries, as the monitoring agent runs it", async (t) => {
    if (tsdb.missing) return t.skip();
    const queries = Object.fromEntries(
      SIGNAL_NAMES.map((s) => [s, `sum by (namespace, workload) (aisre_test_signal{signal="${s}"})`]),
    ) as Record<Signal, string>;
    const rollouts = new Map(
      subset.map((w) => [
        `/${w.name}`,
        w.rollouts.map((r) => ({ start: r.start + SHIFT, end: r.end + SHIFT })),
      ]),
    );
    const prom = new PrometheusClient(tsdb.current!.url, 60_000);
    // Every anomaly the detector finds in memory, one cycle shortly after it paged there.
    const found = subset.flatMap((w) =>
      w.anomaly
        ? detectAnomalies(w.anomaly.signal, w.signals[w.anomaly.signal], from(), {
            traffic: w.signals.requestRate,
            rollouts: w.rollouts,
          }).map((a) => ({ w, a }))
        : [],
    );
    expect(found.length).toBeGreaterThanOrEqual(10);
    for (const { w, a } of found) {
      const now = new Date((a.detectedAt + 300 + SHIFT) * 1000);
      const cycle = await runAnomalyCycle(prom, now, { queries, rollouts });
      expect(cycle.gaps).toEqual([]);
      // 6 signals x (the recent window + the same-kind earlier days), whatever the number of
      // workloads: fewer than the 90 of fetching all 14 days, as no series here is short of history.
      expect(cycle.queries).toBe(6 * (1 + sameKindDays(a.detectedAt + 300 + SHIFT)));
      const mine = cycle.anomalies.filter((a) => a.workload === w.name);
      expect(
        mine.map((a) => a.anomaly.signal),
        w.name,
      ).toContain(w.anomaly!.signal);
    }
  }, 300_000);
});
