/**
 * The verdict of rollout verification (docs/rollout-verification.md): the new revision's golden
 * signals against the previous revision's. With traffic on both, a 5xx ratio that rises by more
 * than errorRatioIncrease or a p99 that grows by more than latencyRatio is a regression; below
 * minRequestRate the HTTP signals say nothing and only restarts are judged. Restarts of the new
 * pods count whatever the traffic: a revision that crashes is bad even when nobody calls it.
 * CPU and memory are reported as deltas, never judged alone (a new revision may legitimately cost more).
 */
import type { Delta, GoldenSignals, RolloutSettings, Verdict } from "./types.ts";

/** New pods restarting at least this often in the window is a regression on its own. */
export const RESTART_REGRESSION = 2;
/** A p99 that grows by less than this (seconds) is noise, whatever the ratio (2 ms to 5 ms). */
export const LATENCY_FLOOR_SECONDS = 0.05;

/** The two revisions as people name them: "revision 7" and "revision 6". */
export interface RevisionNames {
  current: string;
  previous: string;
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const secs = (v: number) => (v >= 1 ? `${v.toFixed(1)} s` : `${Math.round(v * 1000)} ms`);
const rate = (v: number) => `${Number(v.toPrecision(3))} req/s`;

/** How each signal reads: its label and unit. */
const SHOW: Record<keyof GoldenSignals, { label: string; format: (v: number) => string }> = {
  errorRatio: { label: "5xx", format: pct },
  latencyP99: { label: "p99", format: secs },
  restarts: { label: "restarts", format: (v) => String(Math.round(v)) },
  requestRate: { label: "traffic", format: rate },
  cpu: { label: "CPU per pod", format: (v) => `${Number(v.toPrecision(3))} cores` },
  memory: { label: "memory per pod", format: (v) => `${Math.round(v / 2 ** 20)} MiB` },
};

const has = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v);

/** Whether each signal regressed, given both revisions' values (traffic decides the HTTP ones). */
function regressed(
  signal: keyof GoldenSignals,
  prev: number | undefined,
  cur: number | undefined,
  s: RolloutSettings,
  traffic: boolean,
): boolean {
  if (!has(cur)) return false;
  if (signal === "errorRatio") return traffic && cur - (prev ?? 0) > s.errorRatioIncrease;
  if (signal === "latencyP99")
    return traffic && has(prev) && cur > prev * s.latencyRatio && cur - prev >= LATENCY_FLOOR_SECONDS;
  if (signal === "restarts") return cur >= RESTART_REGRESSION && cur > (prev ?? 0);
  return false;
}

/** Signals listed only when both revisions have them; the others as soon as one has. */
const BOTH: ReadonlySet<keyof GoldenSignals> = new Set(["cpu", "memory", "latencyP99"]);
const ORDER: (keyof GoldenSignals)[] = [
  "errorRatio",
  "latencyP99",
  "restarts",
  "requestRate",
  "cpu",
  "memory",
];

/** Each signal both revisions (or, for counts, either) have, with its text and whether it regressed. */
function deltasOf(
  prev: GoldenSignals,
  cur: GoldenSignals,
  settings: RolloutSettings,
  names: RevisionNames,
  traffic: boolean,
): Delta[] {
  const deltas: Delta[] = [];
  for (const signal of ORDER) {
    // With traffic and no 5xx series, no errors were counted: 0 %.
    const zero = signal === "errorRatio" && traffic ? 0 : undefined;
    const p = prev[signal] ?? zero;
    const c = cur[signal] ?? zero;
    if (BOTH.has(signal) ? !has(p) || !has(c) : !has(p) && !has(c)) continue;
    const { label, format } = SHOW[signal];
    const show = (v: number | undefined) => (has(v) ? format(v) : "none");
    const text = `${label} ${show(c)} on ${names.current} vs ${show(p)} on ${names.previous}`;
    deltas.push({
      signal,
      previous: p,
      current: c,
      text,
      regression: regressed(signal, p, c, settings, traffic),
    });
  }
  return deltas.sort((a, b) => Number(b.regression) - Number(a.regression));
}

/** Compares the new revision's signals with the previous revision's under the AgentConfig's settings. */
export function judgeRollout(
  prev: GoldenSignals,
  cur: GoldenSignals,
  settings: RolloutSettings,
  names: RevisionNames,
): Verdict {
  const r0 = prev.requestRate ?? 0;
  const r1 = cur.requestRate ?? 0;
  const traffic = r0 > 0 && r1 > 0 && r0 >= settings.minRequestRate && r1 >= settings.minRequestRate;
  const deltas = deltasOf(prev, cur, settings, names, traffic);
  const bad = deltas.filter((d) => d.regression);
  if (bad.length > 0) return { kind: "regression", deltas, summary: bad.map((d) => d.text).join("; ") };
  if (!traffic)
    return {
      kind: "not-enough-traffic",
      deltas,
      summary: `${names.current} had ${r1 > 0 ? rate(r1) : "no requests"} (${settings.minRequestRate} req/s needed on both revisions): judged on restarts only, none regressed`,
    };
  const head = deltas.filter((d) => d.signal === "errorRatio" || d.signal === "latencyP99");
  return {
    kind: "healthy",
    deltas,
    summary: head.length ? head.map((d) => d.text).join("; ") : `${names.current} matches ${names.previous}`,
  };
}
