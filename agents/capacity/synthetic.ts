/**
 * Labelled synthetic usage histories for the capacity engine's accuracy test and benchmark:
 * hourly samples with a linear trend, a daily cycle peaking mid-afternoon, quieter weekends
 * and seeded noise, plus the day the real (noisy) daily peak first reaches the capacity.
 */
import type { Sample } from "./series.ts";

const DAY = 86_400;
/** Monday 2026-09-07 00:00 UTC: histories start on a Monday so weekends fall on days 5 and 6. */
export const START = Date.UTC(2026, 8, 7) / 1000;

/** Parameters of one history. */
export interface Shape {
  base: number;
  growthPerDay: number;
  dailyAmplitude: number;
  weekendDip: number;
  noise: number;
  seed: number;
}

/** A seeded PRNG (mulberry32) and a normal deviate from it, so every run sees the same data. */
export function prng(seed: number): { next: () => number; normal: () => number } {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next());
  return { next, normal };
}

/** Hourly samples of `days` days. */
export function history(shape: Shape, days: number): Sample[] {
  const rnd = prng(shape.seed);
  const out: Sample[] = [];
  for (let h = 0; h < days * 24; h++) {
    const day = Math.floor(h / 24);
    const hour = h % 24;
    const weekend = day % 7 >= 5;
    const cycle = Math.max(0, Math.cos(((hour - 14) / 24) * 2 * Math.PI)); // peak at 14:00
    const level = shape.base + shape.growthPerDay * day;
    const daily = shape.dailyAmplitude * cycle * (weekend ? 1 - shape.weekendDip : 1);
    out.push({ t: START + h * 3600, v: Math.max(0, level + daily + shape.noise * rnd.normal()) });
  }
  return out;
}

/** The first day index whose sampled peak reaches `capacity` at or after day `from`, with its hour. */
export function actualCrossing(samples: readonly Sample[], capacity: number, fromDay: number): number | null {
  for (const s of samples) {
    const day = (s.t - START) / DAY;
    if (day >= fromDay && s.v >= capacity) return day;
  }
  return null;
}
