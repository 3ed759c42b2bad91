import { describe, expect, it } from "vitest";
import type { CheckStates } from "./cycle.ts";
import { identify, runCycle, timingOf } from "./cycle.ts";
import { acknowledge } from "./state.ts";
import type { InstantQuery, MonitoringSpec } from "./types.ts";

const MIN = 60_000;

describe("runCycle", () => {
  const spec: MonitoringSpec = {
    intervalSeconds: 60,
    checks: [
      { name: "errors", promql: "errors > 1", for: "2m" },
      { name: "broken", promql: "rate(x[5m]" },
      { name: "flaky", promql: "flaky > 0", for: "0s" },
    ],
  };
  let down = false;
  const query: InstantQuery = async (expr) => {
    if (expr.startsWith("flaky") && down) throw new Error("Prometheus answered 503: unavailable");
    if (expr.startsWith("errors")) return [{ labels: { __name__: "errors", pod: "p1" }, value: 4 }];
    return [{ labels: { pod: "f" }, value: 1 }];
  };

  it("runs the valid checks, reports the invalid one, and a query failure is a gap that keeps states", async () => {
    let states: CheckStates = new Map();
    const opened: string[] = [];
    for (let m = 0; m <= 3; m++) {
      down = m === 1;
      const r = await runCycle({ config: "mon", spec, states, query, now: m * MIN });
      expect(r.faults.map((f) => `${f.check}.${f.field}`)).toEqual(["broken.promql"]);
      expect(r.evaluated).toBe(2);
      expect(r.gaps).toEqual(
        m === 1 ? [{ check: "flaky", message: "Prometheus answered 503: unavailable" }] : [],
      );
      for (const a of r.actions) {
        opened.push(`${m}:${a.kind}:${a.check}`);
        acknowledge(r.states.get(a.check)!, a);
      }
      states = r.states;
    }
    // flaky opened at once and its failed query at minute 1 did not clear it; errors held 2 minutes.
    expect(opened).toEqual(["0:open:flaky", "2:open:errors"]);
  });

  it("a check removed from the spec resolves the tasks it opened", async () => {
    let states: CheckStates = new Map();
    const r1 = await runCycle({ config: "mon", spec, states, query, now: 0 });
    for (const a of r1.actions) acknowledge(r1.states.get(a.check)!, a);
    states = r1.states;
    const r2 = await runCycle({ config: "mon", spec: { checks: [] }, states, query, now: MIN });
    expect(r2.actions.map((a) => [a.kind, a.check])).toEqual([["resolve", "flaky"]]);
  });
});

describe("identify", () => {
  it("drops __name__ and counts a label set once", () => {
    const s = identify("c", "k", [
      { labels: { __name__: "a", pod: "x" }, value: 1 },
      { labels: { __name__: "b", pod: "x" }, value: 2 },
      { labels: { pod: "y" }, value: 3 },
    ]);
    expect(s.map((x) => [x.labels, x.value])).toEqual([
      [{ pod: "x" }, 1],
      [{ pod: "y" }, 3],
    ]);
  });

  it("fingerprints depend on the AgentConfig and the check, not on label order", () => {
    const one = identify("c", "k", [{ labels: { a: "1", b: "2" }, value: 1 }])[0]!.fingerprint;
    expect(identify("c", "k", [{ labels: { b: "2", a: "1" }, value: 1 }])[0]!.fingerprint).toBe(one);
    expect(identify("c", "other", [{ labels: { a: "1", b: "2" }, value: 1 }])[0]!.fingerprint).not.toBe(one);
    expect(identify("d", "k", [{ labels: { a: "1", b: "2" }, value: 1 }])[0]!.fingerprint).not.toBe(one);
  });
});

describe("timingOf", () => {
  it("defaults for to 5m and clearFor to max(for, 2 intervals)", () => {
    expect(timingOf({ name: "x", promql: "up" }, MIN)).toEqual({ forMs: 5 * MIN, clearForMs: 5 * MIN });
    expect(timingOf({ name: "x", promql: "up", for: "0s" }, MIN)).toEqual({ forMs: 0, clearForMs: 2 * MIN });
    expect(timingOf({ name: "x", promql: "up", for: "1m", clearFor: "10m" }, MIN)).toEqual({
      forMs: MIN,
      clearForMs: 10 * MIN,
    });
  });
});
