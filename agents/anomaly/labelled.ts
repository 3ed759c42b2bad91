/**
 * A labelled set of workload histories for measuring the anomaly detector: 11 days of golden
 * signals at a 5-minute step with a daily cycle and quieter weekends, anomalies injected with
 * known start and end on the last three days (a Friday, a weekend), and days that are unusual
 * but normal: the weekend itself, a planned traffic peak, a rollout's brief latency blip.
 */
import type { Point } from "./baseline.ts";
import type { Signal } from "./signals.ts";

const DAY = 86_400;
const STEP = 300;
/** Thursday 2026-01-01 00:00 UTC: days 8, 9, 10 are a Friday, a Saturday and a Sunday. */
export const LABELLED_START = Date.UTC(2026, 0, 1) / 1000;
/** Days of history and the first evaluated day. */
export const LABELLED_DAYS = 11;
export const EVAL_FROM_DAY = 8;

/** One labelled workload: its signals, what was injected, and its rollouts. */
export interface LabelledWorkload {
  name: string;
  signals: Record<Signal, Point[]>;
  /** The injected anomaly, if any. */
  anomaly?: { signal: Signal; start: number; end: number };
  rollouts: Array<{ start: number; end: number }>;
  plannedPeak?: { start: number; end: number };
}

function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, normal: () => Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next()) };
}

const KINDS: Signal[] = ["errorRatio", "latencyP99", "requestRate", "cpu", "memory", "restarts"];
const inside = (t: number, w?: { start: number; end: number }) =>
  w !== undefined && t >= w.start && t < w.end;

/** The daily shape of traffic: quiet at night, a broad daytime hump. */
const dailyShape = (hour: number) => 0.2 + 0.8 * Math.max(0, Math.sin((Math.PI * (hour - 6)) / 16));

interface Ctx {
  r: ReturnType<typeof prng>;
  base: number;
  /** Magnitude of the anomaly, 0 (subtle) to 1 (plain). */
  m: number;
  anomaly: LabelledWorkload["anomaly"];
  plannedPeak: LabelledWorkload["plannedPeak"];
  rollouts: LabelledWorkload["rollouts"];
}

const isWeekendDay = (t: number) => {
  const d = Math.floor((t - LABELLED_START) / DAY) % 7; // day 0 is a Thursday
  return d === 2 || d === 3;
};

/** Every signal at time t: traffic drives latency and CPU; the anomaly changes its own signal. */
function sampleAt(t: number, { r, base, m, anomaly, plannedPeak, rollouts }: Ctx): Record<Signal, number> {
  const hour = ((t - LABELLED_START) % DAY) / 3600;
  const hit = (s: Signal) => anomaly?.signal === s && inside(t, anomaly);
  let rate = base * dailyShape(hour) * (isWeekendDay(t) ? 0.6 : 1) * (1 + 0.05 * r.normal());
  if (inside(t, plannedPeak)) rate *= 2.5;
  if (hit("requestRate")) rate *= 0.2 + 0.3 * m;
  const load = rate / base;
  let latency = 0.25 + 0.1 * load + 0.015 * r.normal();
  if (hit("latencyP99")) latency *= 1.6 + 2.4 * m;
  if (rollouts.some((w) => inside(t, w))) latency *= 3;
  let cpu = (0.1 + 0.5 * load) * (1 + 0.05 * r.normal());
  if (hit("cpu")) cpu *= 1.5 + m;
  let memory = (300 + 5 * r.normal()) * 2 ** 20;
  if (hit("memory")) memory += ((t - anomaly!.start) / 3600) * (30 + 60 * m) * 2 ** 20;
  const errors = hit("errorRatio") ? 0.01 + 0.04 * m : 0.002 + 0.001 * Math.abs(r.normal());
  return {
    requestRate: Math.max(0, rate),
    errorRatio: errors,
    latencyP99: Math.max(0.01, latency),
    cpu: Math.max(0, cpu),
    memory,
    restarts: hit("restarts") ? 2 : 0,
  };
}

function workload(i: number): LabelledWorkload {
  const r = prng(1000 + i);
  const base = 5 + r.next() * 50;
  const kind = i < 30 ? KINDS[i % KINDS.length]! : undefined;
  const day = EVAL_FROM_DAY + Math.floor(r.next() * 3);
  const aStart = LABELLED_START + day * DAY + (10 + Math.floor(r.next() * 6)) * 3600;
  const aLen = (kind === "memory" ? 240 : 30 + Math.floor(r.next() * 4) * 15) * 60;
  const anomaly = kind ? { signal: kind, start: aStart, end: aStart + aLen } : undefined;
  // Magnitudes vary from plain to subtle, so the set does not only hold the easy ones.
  const m = r.next();
  const plannedPeak =
    i % 2 === 0
      ? { start: LABELLED_START + 8 * DAY + 12 * 3600, end: LABELLED_START + 8 * DAY + 15 * 3600 }
      : undefined;
  const rollouts =
    i % 3 === 0
      ? [{ start: LABELLED_START + 9 * DAY + 8 * 3600, end: LABELLED_START + 9 * DAY + 8 * 3600 + 1200 }]
      : [];
  const signals: Record<Signal, Point[]> = {
    requestRate: [],
    errorRatio: [],
    latencyP99: [],
    cpu: [],
    memory: [],
    restarts: [],
  };
  const ctx: Ctx = { r, base, m, anomaly, plannedPeak, rollouts };
  for (let t = LABELLED_START; t < LABELLED_START + LABELLED_DAYS * DAY; t += STEP) {
    const values = sampleAt(t, ctx);
    for (const k of Object.keys(values) as Signal[]) signals[k].push({ t, v: values[k] });
  }
  return {
    name: `w${String(i).padStart(2, "0")}`,
    signals,
    ...(anomaly ? { anomaly } : {}),
    rollouts,
    ...(plannedPeak ? { plannedPeak } : {}),
  };
}

/** The 36 labelled workloads: 30 with one anomaly each (5 of every kind), 6 without. */
export function labelledWorkloads(): LabelledWorkload[] {
  return Array.from({ length: 36 }, (_, i) => workload(i));
}
