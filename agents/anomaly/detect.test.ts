import { describe, expect, it } from "vitest";
import { detectAnomalies } from "./detect.ts";
import { evaluate } from "./evaluate.ts";
import { EVAL_FROM_DAY, LABELLED_START, labelledWorkloads } from "./labelled.ts";

const DAY = 86_400;
const from = () => LABELLED_START + EVAL_FROM_DAY * DAY;

describe("detectAnomalies", () => {
  const workloads = labelledWorkloads();

  it("explains an anomaly with the value, the expectation for that time and the MADs", () => {
    const w = workloads.find((x) => x.anomaly?.signal === "latencyP99")!;
    const [a] = detectAnomalies("latencyP99", w.signals.latencyP99, from(), {
      traffic: w.signals.requestRate,
      rollouts: w.rollouts,
    });
    expect(a!.start).toBeGreaterThanOrEqual(w.anomaly!.start);
    expect(a!.message).toMatch(
      /^p99 [\d.]+ s vs [\d.]+ s expected for (Friday|Saturday|Sunday) \d\d:\d\d, [\d.]+ MAD$/,
    );
    expect(a!.value).toBeGreaterThan(a!.expected * 2);
  });

  it("does not page during a rollout, on a planned traffic peak, or on a quiet weekend", () => {
    const clean = workloads.filter((w) => !w.anomaly);
    expect(clean.some((w) => w.rollouts.length > 0)).toBe(true);
    expect(clean.some((w) => w.plannedPeak)).toBe(true);
    const result = evaluate(clean, from);
    expect(result.falseAlarms).toEqual([]);
    // The same data without the rollout annotation does page: the rule is what keeps it quiet.
    const withRollout = clean.find((w) => w.rollouts.length > 0)!;
    expect(evaluate([{ ...withRollout, rollouts: [] }], from).alarms).toBeGreaterThan(0);
  }, 60_000);

  it("ignores ratios and latency when traffic is too low to judge", () => {
    const w = workloads.find((x) => x.anomaly?.signal === "errorRatio")!;
    const quiet = w.signals.requestRate.map((p) => ({ ...p, v: 0.01 }));
    expect(detectAnomalies("errorRatio", w.signals.errorRatio, from(), { traffic: quiet })).toEqual([]);
  });

  // The labelled set: 36 workloads, 30 anomalies of six kinds, weekends, planned peaks, rollouts.
  it("scores within bounds on the labelled set", () => {
    const r = evaluate(workloads, from);
    const sorted = [...r.delaysMinutes].sort((a, b) => a - b);
    const median = sorted[sorted.length >> 1] ?? Number.NaN;
    console.log(
      `anomaly detection on ${workloads.length} labelled workloads: precision ${(r.precision * 100).toFixed(1)} % (${r.truePositives}/${r.alarms}), ` +
        `recall ${(r.recall * 100).toFixed(1)} % (${r.detected}/${r.injected}), delay median ${median} min, max ${sorted.at(-1)} min`,
    );
    for (const f of r.falseAlarms) console.log(`  false alarm ${f.workload}: ${f.anomaly.message}`);
    expect(r.precision).toBeGreaterThanOrEqual(0.9);
    expect(r.recall).toBeGreaterThanOrEqual(0.9);
    expect(median).toBeLessThanOrEqual(20);
  }, 120_000);
});
