/**
 * One evaluation cycle of an AgentConfig's checks: validate, query each valid check at `now`,
 * step its series, and list the tasks to open or resolve. A check whose query fails is an
 * evidence gap and keeps its states untouched (a failure is no evidence that anything cleared);
 * a check that is gone (removed or made invalid) resolves its series.
 */
import { parseDuration } from "./duration.ts";
import { seriesFingerprint, seriesLabels } from "./identity.ts";
import { actionsOf, defaultClearForMs, stepCheck } from "./state.ts";
import type { CheckTiming, SeriesAction, SeriesSample, SeriesState } from "./state.ts";
import type { InstantQuery, MonitoringCheckSpec, MonitoringSpec } from "./types.ts";
import { allFaults } from "./validate.ts";
import type { CheckFault } from "./validate.ts";

/** Series states of every check of one AgentConfig, by check name then fingerprint. */
export type CheckStates = Map<string, Map<string, SeriesState>>;

/** A task to open or resolve, with the check it belongs to (undefined when the check is gone). */
export interface CheckAction extends SeriesAction {
  check: string;
  spec?: MonitoringCheckSpec;
}

/** A check whose query failed this cycle. */
export interface CheckGap {
  check: string;
  message: string;
}

export interface CycleInput {
  /** The AgentConfig's name: part of every fingerprint. */
  config: string;
  spec: MonitoringSpec;
  states: CheckStates;
  query: InstantQuery;
  now: number;
}

export interface CycleResult {
  states: CheckStates;
  actions: CheckAction[];
  gaps: CheckGap[];
  faults: CheckFault[];
  /** Valid checks whose query was issued. */
  evaluated: number;
}

/** The default interval (spec.monitoring.intervalSeconds) in milliseconds. */
export function intervalMs(spec: MonitoringSpec): number {
  return (spec.intervalSeconds ?? 60) * 1000;
}

/** for and clearFor of a valid check, in milliseconds. */
export function timingOf(check: MonitoringCheckSpec, interval: number): CheckTiming {
  const d = parseDuration(check.for ?? "5m");
  const forMs = d.ok ? d.ms : 0;
  const c = check.clearFor !== undefined ? parseDuration(check.clearFor) : undefined;
  return { forMs, clearForMs: c?.ok ? c.ms : defaultClearForMs(forMs, interval) };
}

/** The identified series of a result; a label set seen twice counts once (the first value). */
export function identify(
  config: string,
  check: string,
  raw: ReadonlyArray<{ labels: Record<string, string>; value: number }>,
): SeriesSample[] {
  const seen = new Map<string, SeriesSample>();
  for (const r of raw) {
    const labels = seriesLabels(r.labels);
    const fingerprint = seriesFingerprint(config, check, labels);
    if (!seen.has(fingerprint)) seen.set(fingerprint, { fingerprint, labels, value: r.value });
  }
  return [...seen.values()];
}

/** Runs one cycle; never throws for a query failure. */
export async function runCycle(input: CycleInput): Promise<CycleResult> {
  const { config, spec, now } = input;
  const checks = spec.checks ?? [];
  const faults = allFaults(checks);
  const invalid = new Set(faults.map((f) => f.check));
  const valid = checks.filter((c) => !invalid.has(c.name));
  const interval = intervalMs(spec);
  const states: CheckStates = new Map();
  const actions: CheckAction[] = [];
  const gaps: CheckGap[] = [];
  const results = await Promise.all(
    valid.map(async (check) => {
      try {
        return { check, samples: await input.query(check.promql, new Date(now)) };
      } catch (err) {
        return { check, error: (err as Error).message };
      }
    }),
  );
  for (const r of results) {
    const prev = input.states.get(r.check.name) ?? new Map<string, SeriesState>();
    if ("error" in r) {
      gaps.push({ check: r.check.name, message: r.error ?? "query failed" });
      states.set(r.check.name, new Map(prev));
      continue;
    }
    const series = identify(config, r.check.name, r.samples);
    const next = stepCheck(prev, series, timingOf(r.check, interval), now);
    states.set(r.check.name, next);
    for (const a of actionsOf(next)) actions.push({ ...a, check: r.check.name, spec: r.check });
  }
  // A check that is gone or invalid now resolves what it had opened.
  for (const [name, prev] of input.states) {
    if (states.has(name)) continue;
    const left = new Map<string, SeriesState>();
    for (const [fp, s] of prev) {
      if (s.task !== "open") continue;
      left.set(fp, { ...s, phase: "resolved", resolvedAt: s.resolvedAt ?? now });
    }
    if (left.size === 0) continue;
    states.set(name, left);
    for (const a of actionsOf(left)) actions.push({ ...a, check: name });
  }
  return { states, actions, gaps, faults, evaluated: valid.length };
}
