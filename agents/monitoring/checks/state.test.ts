import { describe, expect, it } from "vitest";
import type { SeriesSample, SeriesState } from "./state.ts";
import { acknowledge, actionsOf, countPhases, defaultClearForMs, seedFiring, stepCheck } from "./state.ts";

const MIN = 60_000;
const timing = { forMs: 5 * MIN, clearForMs: 10 * MIN };
const a: SeriesSample = { fingerprint: "a", labels: { pod: "a" }, value: 3 };
const b: SeriesSample = { fingerprint: "b", labels: { pod: "b" }, value: 7 };

/** Runs the machine minute by minute; `holds(t)` says which samples the query returns at minute t; every action is acknowledged. */
function run(minutes: number, holds: (t: number) => SeriesSample[], t = timing) {
  let states = new Map<string, SeriesState>();
  const log: string[] = [];
  for (let m = 0; m <= minutes; m++) {
    states = stepCheck(states, holds(m), t, m * MIN);
    for (const action of actionsOf(states)) {
      log.push(`${m}:${action.kind}:${action.state.fingerprint}`);
      acknowledge(states, action);
    }
  }
  return { states, log };
}

describe("stepCheck", () => {
  it("a series is pending until it held for `for`, then opens one task", () => {
    const { states, log } = run(20, () => [a]);
    expect(log).toEqual(["5:open:a"]);
    expect(states.get("a")).toMatchObject({
      phase: "firing",
      activeSince: 0,
      firingSince: 5 * MIN,
      task: "open",
    });
  });

  it("a pending series that clears before `for` never opens a task", () => {
    const { states, log } = run(20, (m) => (m < 4 ? [a] : []));
    expect(log).toEqual([]);
    expect(states.size).toBe(0);
  });

  it("resolves once the series stayed clear for clearFor", () => {
    const { log, states } = run(40, (m) => (m < 12 ? [a] : []));
    expect(log).toEqual(["5:open:a", `22:resolve:a`]);
    expect(states.size).toBe(0);
  });

  it("hysteresis: a series flapping faster than clearFor keeps its one task open", () => {
    // Holds on even minutes from 0 to 29 (twice as fast as clearFor), then stays clear.
    const flap = (m: number) => (m < 30 && m % 2 === 0 ? [a] : []);
    const { log } = run(60, flap, { forMs: 0, clearForMs: 3 * MIN });
    expect(log).toEqual(["0:open:a", "32:resolve:a"]);
    // Without it the same series would open and resolve a task at every flap.
    const undamped = run(60, flap, { forMs: 0, clearForMs: 0 }).log;
    expect(undamped.filter((l) => l.includes("open"))).toHaveLength(15);
  });

  it("each label set is its own series with its own task", () => {
    const { log, states } = run(10, (m) => (m < 3 ? [a] : [a, b]));
    expect(log).toEqual(["5:open:a", "8:open:b"]);
    expect(countPhases(states.values())).toEqual({ pending: 0, firing: 2 });
  });

  it("keeps the latest value and labels of a firing series", () => {
    const { states } = run(8, (m) => [{ ...a, value: m }]);
    expect(states.get("a")?.value).toBe(8);
  });

  it("an action that did not reach the API server is asked again next cycle", () => {
    let states = new Map<string, SeriesState>();
    states = stepCheck(states, [a], { forMs: 0, clearForMs: MIN }, 0);
    expect(actionsOf(states).map((x) => x.kind)).toEqual(["open"]);
    states = stepCheck(states, [a], { forMs: 0, clearForMs: MIN }, MIN);
    const again = actionsOf(states);
    expect(again.map((x) => x.kind)).toEqual(["open"]);
    acknowledge(states, again[0]!);
    expect(actionsOf(stepCheck(states, [a], { forMs: 0, clearForMs: MIN }, 2 * MIN))).toEqual([]);
  });

  it("a resolved series that holds again starts over as pending (a new episode)", () => {
    const { log } = run(40, (m) => (m < 6 || m >= 25 ? [a] : []), { forMs: 2 * MIN, clearForMs: 5 * MIN });
    expect(log).toEqual(["2:open:a", "11:resolve:a", "27:open:a"]);
  });
});

describe("seedFiring", () => {
  it("a task found open after a restart resolves when its series stays clear", () => {
    const states = new Map<string, SeriesState>();
    seedFiring(states, { ...a, since: 0 });
    let next = stepCheck(states, [], timing, MIN);
    expect(actionsOf(next)).toEqual([]);
    next = stepCheck(next, [], timing, 11 * MIN);
    expect(actionsOf(next).map((x) => [x.kind, x.state.resolvedAt])).toEqual([["resolve", 11 * MIN]]);
  });

  it("and keeps firing without a second task while it holds", () => {
    const states = new Map<string, SeriesState>();
    seedFiring(states, { ...a, since: 0 });
    expect(actionsOf(stepCheck(states, [a], timing, MIN))).toEqual([]);
  });
});

describe("defaultClearForMs", () => {
  it("is max(for, 2 intervals)", () => {
    expect(defaultClearForMs(5 * MIN, MIN)).toBe(5 * MIN);
    expect(defaultClearForMs(0, MIN)).toBe(2 * MIN);
  });
});
