/**
 * The same check scenarios against a real Prometheus (history backfilled with promtool) and a
 * real VictoriaMetrics (the same history through its import API): the engine is driven minute by
 * minute over an hour of history, as the controller drives it every intervalSeconds.
 */
import { describe, expect, it } from "vitest";
import type { CheckStates, MonitoringSpec } from "../../agents/monitoring/checks/index.ts";
import { acknowledge, runCycle } from "../../agents/monitoring/checks/index.ts";
import { PrometheusClient } from "../../tools/prometheus/client.ts";
import { gauge, openMetrics } from "../support/metric-history.ts";
import { usePrometheus } from "../support/prometheus.ts";
import { useVictoriaMetrics } from "../support/victoria-metrics.ts";

const MIN = 60;
const END = Math.floor(Date.now() / 1000 / MIN) * MIN;
const WINDOW = { endSeconds: END, spanSeconds: 60 * MIN, stepSeconds: 15 };
const HIGH = 20;

/** Minutes (ago, counted from the end) during which each queue is above 10. */
const ACTIVE = {
  // Holds from 50 to 31 minutes ago.
  steady: (m: number) => m >= 31 && m <= 50,
  // Flaps every minute from 50 to 31 minutes ago.
  flap: (m: number) => m >= 31 && m <= 50 && m % 2 === 0,
  // Holds for the last 8 minutes: still firing at the end.
  late: (m: number) => m <= 8,
  calm: () => false,
};

function history(): string {
  const series = Object.entries(ACTIVE).map(([queue, active]) =>
    gauge("queue_depth", { queue }, (ago) => (active(Math.floor(ago / MIN)) ? HIGH : 1)),
  );
  return openMetrics(series, WINDOW);
}

const spec: MonitoringSpec = {
  intervalSeconds: 60,
  checks: [
    { name: "steady", promql: 'queue_depth{queue="steady"} > 10', for: "2m", clearFor: "3m" },
    { name: "flap-damped", promql: 'queue_depth{queue="flap"} > 10', for: "0s", clearFor: "3m" },
    { name: "flap-undamped", promql: 'queue_depth{queue="flap"} > 10', for: "0s", clearFor: "0s" },
    { name: "fleet", promql: "queue_depth > 10", for: "2m" },
    { name: "invalid", promql: "queue_depth >" },
    { name: "bad-regex", promql: 'queue_depth{queue=~"("}' },
  ],
};

interface Outcome {
  /** `<minutes ago>:<open|resolve>:<check>:<queue>` in order. */
  log: string[];
  gaps: Set<string>;
  faults: string[];
  firingAtEnd: string[];
}

/** Evaluates the checks every minute from 55 minutes ago to now, 7 s into each minute's samples. */
async function drive(url: string): Promise<Outcome> {
  const client = new PrometheusClient(url);
  let states: CheckStates = new Map();
  const out: Outcome = { log: [], gaps: new Set(), faults: [], firingAtEnd: [] };
  for (let ago = 55; ago >= 0; ago--) {
    const now = (END - ago * MIN - 7) * 1000;
    const r = await runCycle({ config: "mon", spec, states, now, query: (e, at) => client.query(e, at) });
    out.faults = r.faults.map((f) => `${f.check}.${f.field}`);
    for (const g of r.gaps) out.gaps.add(g.check);
    for (const a of r.actions) {
      out.log.push(`${ago}:${a.kind}:${a.check}:${a.state.labels.queue}`);
      acknowledge(r.states.get(a.check)!, a);
    }
    states = r.states;
  }
  for (const [check, series] of states)
    for (const s of series.values())
      if (s.phase === "firing") out.firingAtEnd.push(`${check}:${s.labels.queue}`);
  return out;
}

const prometheus = usePrometheus({ history });
const victoria = useVictoriaMetrics({ history });

describe.each([
  ["Prometheus", prometheus],
  ["VictoriaMetrics", victoria],
] as const)("checks on %s", (_name, tsdb) => {
  let outcome: Outcome | undefined;
  const run = async (skip: () => void): Promise<Outcome> => {
    if (tsdb.missing) skip();
    outcome ??= await drive(tsdb.current!.url);
    return outcome;
  };

  it("a series that holds for `for` opens one task, and resolves once clear for clearFor", async (ctx) => {
    const { log } = await run(() => ctx.skip());
    // Active from 50 min ago: pending at 50, firing at 48 (for 2m); clear from 30, resolved at 27 (clearFor 3m).
    expect(log.filter((l) => l.includes(":steady:"))).toEqual([
      "48:open:steady:steady",
      "27:resolve:steady:steady",
    ]);
  });

  it("hysteresis: a flapping series keeps one task; without it every flap opens another", async (ctx) => {
    const { log } = await run(() => ctx.skip());
    // Last active minute 32; clear from 31 (holding minutes are even), resolved after 3 minutes clear.
    expect(log.filter((l) => l.includes(":flap-damped:"))).toEqual([
      "50:open:flap-damped:flap",
      "28:resolve:flap-damped:flap",
    ]);
    const undamped = log.filter((l) => l.includes("open:flap-undamped:"));
    expect(undamped).toHaveLength([...Array(56).keys()].filter((m) => ACTIVE.flap(m)).length);
  });

  it("one task per label set: the fleet check opens steady and late, never the flapping or calm queue", async (ctx) => {
    const { log, firingAtEnd } = await run(() => ctx.skip());
    const fleet = log.filter((l) => l.includes(":fleet:"));
    expect(fleet.filter((l) => l.includes("open"))).toEqual(["48:open:fleet:steady", "6:open:fleet:late"]);
    // clearFor defaults to max(for, 2 intervals) = 2m: clear from 30, resolved at 28.
    expect(fleet.filter((l) => l.includes("resolve"))).toEqual(["28:resolve:fleet:steady"]);
    expect(firingAtEnd.sort()).toEqual(["fleet:late"]);
  });

  it("an invalid check is reported and skipped; a query the TSDB refuses is a gap; the rest still ran", async (ctx) => {
    const { faults, gaps, log } = await run(() => ctx.skip());
    expect(faults).toEqual(["invalid.promql"]);
    expect([...gaps]).toEqual(["bad-regex"]);
    expect(log.some((l) => l.includes(":invalid:") || l.includes(":bad-regex:"))).toBe(false);
  });
});
