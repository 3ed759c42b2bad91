import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "./types.ts";
import { judgeRollout } from "./verdict.ts";

const names = { current: "revision 7", previous: "revision 6" };

describe("judgeRollout", () => {
  it("a 5xx ratio and p99 that rose past the settings are a regression, explained in numbers", () => {
    const v = judgeRollout(
      { requestRate: 20, errorRatio: 0.003, latencyP99: 0.4, restarts: 0 },
      { requestRate: 19, errorRatio: 0.12, latencyP99: 1.9, restarts: 0 },
      DEFAULT_SETTINGS,
      names,
    );
    expect(v.kind).toBe("regression");
    expect(v.summary).toBe(
      "5xx 12.0% on revision 7 vs 0.3% on revision 6; p99 1.9 s on revision 7 vs 400 ms on revision 6",
    );
    expect(v.deltas.filter((d) => d.regression).map((d) => d.signal)).toEqual(["errorRatio", "latencyP99"]);
  });

  it("movements inside the settings are healthy, and the thresholds come from the settings", () => {
    const prev = { requestRate: 5, errorRatio: 0.01, latencyP99: 0.2 };
    const cur = { requestRate: 5, errorRatio: 0.04, latencyP99: 0.28 };
    expect(judgeRollout(prev, cur, DEFAULT_SETTINGS, names).kind).toBe("healthy");
    const strict = { ...DEFAULT_SETTINGS, errorRatioIncrease: 0.02, latencyRatio: 1.2 };
    const v = judgeRollout(prev, cur, strict, names);
    expect(v.kind).toBe("regression");
    expect(v.deltas.filter((d) => d.regression).map((d) => d.signal)).toEqual(["errorRatio", "latencyP99"]);
  });

  it("a p99 that doubles from 2 ms to 5 ms is noise: the absolute floor", () => {
    const v = judgeRollout(
      { requestRate: 5, latencyP99: 0.002 },
      { requestRate: 5, latencyP99: 0.005 },
      DEFAULT_SETTINGS,
      names,
    );
    expect(v.kind).toBe("healthy");
  });

  it("with traffic but no 5xx series on the old revision, its ratio counts as 0 %", () => {
    const v = judgeRollout({ requestRate: 3 }, { requestRate: 3, errorRatio: 0.5 }, DEFAULT_SETTINGS, names);
    expect(v.kind).toBe("regression");
    expect(v.summary).toBe("5xx 50.0% on revision 7 vs 0.0% on revision 6");
  });

  it("below minRequestRate the HTTP signals are not judged: not enough traffic", () => {
    const v = judgeRollout(
      { requestRate: 0.05, errorRatio: 0 },
      { requestRate: 0.05, errorRatio: 1 },
      DEFAULT_SETTINGS,
      names,
    );
    expect(v.kind).toBe("not-enough-traffic");
    expect(v.summary).toContain("judged on restarts only");
    expect(v.deltas.some((d) => d.regression)).toBe(false);
  });

  it("restarts of the new pods are a regression even without traffic", () => {
    const v = judgeRollout({ restarts: 0 }, { restarts: 4 }, DEFAULT_SETTINGS, names);
    expect(v.kind).toBe("regression");
    expect(v.summary).toBe("restarts 4 on revision 7 vs 0 on revision 6");
    expect(judgeRollout({ restarts: 5 }, { restarts: 4 }, DEFAULT_SETTINGS, names).kind).toBe(
      "not-enough-traffic",
    );
  });

  it("CPU and memory are listed as deltas but never judged alone", () => {
    const v = judgeRollout(
      { requestRate: 2, cpu: 0.1, memory: 100 * 2 ** 20 },
      { requestRate: 2, cpu: 0.9, memory: 900 * 2 ** 20 },
      DEFAULT_SETTINGS,
      names,
    );
    expect(v.kind).toBe("healthy");
    expect(v.deltas.map((d) => d.text)).toContain(
      "memory per pod 900 MiB on revision 7 vs 100 MiB on revision 6",
    );
  });
});
