/**
 * When a rollout is judged and how: the previous revision over the window before the rollout
 * started (while it served alone), the new revision over the window after; judged once the
 * window and a settling delay (scrape interval, TSDB ingestion) have passed. Fixed query times
 * make a judgment reproducible, so a leader that restarted judges the same rollout the same way.
 */
import type { InstantQuery } from "./queries.ts";
import { collectSignals, signalQueries } from "./queries.ts";
import type { Rollout } from "./revisions.ts";
import type { RolloutSettings, Verdict } from "./types.ts";
import { judgeRollout } from "./verdict.ts";

/** The timing knobs: the window (from settings, or shortened for tests) and the settling delay. */
export interface RolloutTiming {
  windowMs: number;
  settleMs: number;
  /** A rollout not judged this long after it was due (operator down) is left alone. */
  staleMs: number;
}

/** The default timing of a window: settle one minute, give up an hour after due. */
export function timingOf(settings: RolloutSettings, windowSeconds?: number): RolloutTiming {
  const windowMs = (windowSeconds ?? settings.windowMinutes * 60) * 1000;
  return { windowMs, settleMs: Math.min(60_000, windowMs), staleMs: 3600_000 };
}

/** Where a rollout stands at `now`. */
export type RolloutStage = { stage: "watching"; dueAt: number } | { stage: "due" } | { stage: "stale" };

/** Watching until start + window + settle, then due, then stale once staleMs more have passed. */
export function stageOf(r: Rollout, t: RolloutTiming, now: number): RolloutStage {
  const dueAt = r.start + t.windowMs + t.settleMs;
  if (now < dueAt) return { stage: "watching", dueAt };
  return now - dueAt > t.staleMs ? { stage: "stale" } : { stage: "due" };
}

/** The verdict of a due rollout, and what could not be read. */
export async function verifyRollout(
  r: Rollout,
  settings: RolloutSettings,
  t: RolloutTiming,
  query: InstantQuery,
): Promise<{ verdict: Verdict; gaps: string[] }> {
  const seconds = t.windowMs / 1000;
  const [prev, cur] = await Promise.all([
    collectSignals(
      query,
      signalQueries(r.namespace, r.previousPods, seconds),
      new Date(r.start),
      r.names.previous,
    ),
    collectSignals(
      query,
      signalQueries(r.namespace, r.currentPods, seconds),
      new Date(r.start + t.windowMs),
      r.names.current,
    ),
  ]);
  // The API's restart counts of the live new pods count too (a TSDB without kube-state-metrics).
  const restarts = Math.max(cur.signals.restarts ?? 0, r.restarts);
  if (restarts > 0 || cur.signals.restarts !== undefined) cur.signals.restarts = restarts;
  return {
    verdict: judgeRollout(prev.signals, cur.signals, settings, r.names),
    gaps: [...prev.gaps, ...cur.gaps],
  };
}
