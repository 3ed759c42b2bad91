/**
 * The state machine of one check's series (Prometheus' alerting-rule semantics plus hysteresis):
 *
 *   inactive ─result─► pending ─held `for`─► firing ─clear─► clearing ─clear `clearFor`─► resolved
 *                        │ clear                                 │ result again
 *                        ▼                                        ▼
 *                     inactive                                 firing (the same task: no flap)
 *
 * A firing series opens one task; a resolved one resolves it. Which task a series has is kept
 * (`task`), so an API call that failed is retried on the next cycle and nothing is opened twice.
 * Pure: time is passed in; the controller does the I/O and acknowledges it.
 */

/** Where a series stands. `resolved` waits only for its task to be resolved. */
export type SeriesPhase = "pending" | "firing" | "clearing" | "resolved";

/** One series (label set) of one check. Times are epoch milliseconds. */
export interface SeriesState {
  fingerprint: string;
  labels: Record<string, string>;
  value: number;
  phase: SeriesPhase;
  /** When the result first appeared in this run of holding. */
  activeSince: number;
  /** When it started firing (the task's startsAt). */
  firingSince?: number;
  /** When it went clear while firing. */
  clearSince?: number;
  /** When it resolved (the task's endsAt). */
  resolvedAt?: number;
  /** Whether its task is open (created or found) on the API server. */
  task: "none" | "open";
}

/** How long a series must hold, and stay clear, in milliseconds. */
export interface CheckTiming {
  forMs: number;
  clearForMs: number;
}

/** One result series of a check at this cycle, already identified. */
export interface SeriesSample {
  fingerprint: string;
  labels: Record<string, string>;
  value: number;
}

/** What the controller must do for a series: open its task, or resolve it. */
export interface SeriesAction {
  kind: "open" | "resolve";
  state: SeriesState;
}

/** clearFor when the check sets none: max(for, 2 intervals), so one missed scrape never resolves. */
export function defaultClearForMs(forMs: number, intervalMs: number): number {
  return Math.max(forMs, 2 * intervalMs);
}

/** Moves a series that holds now. */
function holding(prev: SeriesState | undefined, s: SeriesSample, t: CheckTiming, now: number): SeriesState {
  if (!prev || prev.phase === "resolved") {
    const fresh: SeriesState = { ...s, phase: "pending", activeSince: now, task: "none" };
    return t.forMs <= 0 ? { ...fresh, phase: "firing", firingSince: now } : fresh;
  }
  const next: SeriesState = { ...prev, labels: s.labels, value: s.value };
  if (prev.phase === "pending" && now - prev.activeSince >= t.forMs) {
    next.phase = "firing";
    next.firingSince = now;
  }
  if (prev.phase === "clearing") {
    next.phase = "firing";
    delete next.clearSince;
  }
  return next;
}

/** Moves a series that is absent now; undefined when it is forgotten (inactive). */
function clear(prev: SeriesState, t: CheckTiming, now: number): SeriesState | undefined {
  if (prev.phase === "pending") return undefined;
  if (prev.phase === "resolved") return prev;
  const clearSince = prev.phase === "clearing" ? prev.clearSince! : now;
  if (now - clearSince >= t.clearForMs) return { ...prev, phase: "resolved", clearSince, resolvedAt: now };
  return { ...prev, phase: "clearing", clearSince };
}

/**
 * One evaluation of one check: the series states after `samples` were seen at `now`. Call it
 * only with a successful query result: a failed query is no evidence that anything cleared.
 */
export function stepCheck(
  prev: ReadonlyMap<string, SeriesState>,
  samples: readonly SeriesSample[],
  timing: CheckTiming,
  now: number,
): Map<string, SeriesState> {
  const next = new Map<string, SeriesState>();
  for (const s of samples) next.set(s.fingerprint, holding(prev.get(s.fingerprint), s, timing, now));
  for (const [fp, state] of prev) {
    if (next.has(fp)) continue;
    const moved = clear(state, timing, now);
    if (moved) next.set(fp, moved);
  }
  return next;
}

/** The API calls the states still need: open firing series without a task, resolve resolved ones. */
export function actionsOf(states: ReadonlyMap<string, SeriesState>): SeriesAction[] {
  const out: SeriesAction[] = [];
  for (const state of states.values()) {
    if ((state.phase === "firing" || state.phase === "clearing") && state.task === "none")
      out.push({ kind: "open", state });
    if (state.phase === "resolved") out.push({ kind: "resolve", state });
  }
  return out;
}

/** Records that an action reached the API server: an opened task is open, a resolved series is forgotten. */
export function acknowledge(states: Map<string, SeriesState>, action: SeriesAction): void {
  const current = states.get(action.state.fingerprint);
  if (!current) return;
  if (action.kind === "open") states.set(current.fingerprint, { ...current, task: "open" });
  else if (current.phase === "resolved") states.delete(current.fingerprint);
}

/**
 * A series whose task is already open on the API server (found after a restart or a change of
 * leader): it is firing since the task's start, so clearing resolves it and holding keeps it.
 */
export function seedFiring(states: Map<string, SeriesState>, s: SeriesSample & { since: number }): void {
  if (states.has(s.fingerprint)) return;
  const { since, ...sample } = s;
  states.set(s.fingerprint, {
    ...sample,
    phase: "firing",
    activeSince: since,
    firingSince: since,
    task: "open",
  });
}

/** Counts of pending and firing (including clearing) series, for status. */
export function countPhases(states: Iterable<SeriesState>): { pending: number; firing: number } {
  let pending = 0;
  let firing = 0;
  for (const s of states) {
    if (s.phase === "pending") pending++;
    else if (s.phase === "firing" || s.phase === "clearing") firing++;
  }
  return { pending, firing };
}
