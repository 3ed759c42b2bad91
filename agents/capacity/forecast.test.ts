import { describe, expect, it } from "vitest";
import { MIN_DAYS, forecastExhaustion, isForecast } from "./forecast.ts";
import type { Forecast } from "./forecast.ts";
import { START, actualCrossing, history, prng } from "./synthetic.ts";

const DAY = 86_400;
const FIT_DAYS = 28;

function forecast(samples: ReturnType<typeof history>, capacity: number, days = FIT_DAYS): Forecast {
  const f = forecastExhaustion({ samples, capacity, now: START + days * DAY });
  if (!isForecast(f)) throw new Error(f.insufficient);
  return f;
}

describe("forecastExhaustion", () => {
  it("finds the crossing of a steadily growing series, with a band around it", () => {
    const samples = history(
      { base: 40, growthPerDay: 1, dailyAmplitude: 10, weekendDip: 0, noise: 0, seed: 1 },
      90,
    );
    // Peak of day d is 50 + d: it reaches 100 on day 50, 22 days after the fit ends.
    const f = forecast(samples, 100);
    expect(f.slopePerDay).toBeCloseTo(1, 1);
    expect(f.daysToExhaustion!).toBeGreaterThan(21);
    expect(f.daysToExhaustion!).toBeLessThan(23);
    expect(f.band.earliest!).toBeLessThanOrEqual(f.daysToExhaustion!);
    expect(f.band.latest!).toBeGreaterThanOrEqual(f.daysToExhaustion!);
  });

  it("says nothing runs out when the peaks are flat or falling", () => {
    const flat = history(
      { base: 60, growthPerDay: 0, dailyAmplitude: 10, weekendDip: 0, noise: 1, seed: 2 },
      30,
    );
    expect(forecast(flat, 100).daysToExhaustion).toBeNull();
    const falling = history(
      { base: 80, growthPerDay: -0.5, dailyAmplitude: 5, weekendDip: 0, noise: 0, seed: 3 },
      30,
    );
    expect(forecast(falling, 100).daysToExhaustion).toBeNull();
  });

  it("answers 0 days when the last peak already reached the capacity", () => {
    const full = history(
      { base: 95, growthPerDay: 0.5, dailyAmplitude: 10, weekendDip: 0, noise: 0, seed: 4 },
      30,
    );
    expect(forecast(full, 100).daysToExhaustion).toBe(0);
  });

  it("learns quiet weekends, so a Monday crossing is not predicted on a Saturday", () => {
    const s = { base: 40, growthPerDay: 1, dailyAmplitude: 20, weekendDip: 0.8, noise: 0.5, seed: 5 };
    const f = forecast(history(s, 90), 100);
    expect(f.seasonality).toBe("weekly");
    const predictedDay = Math.floor(FIT_DAYS + f.daysToExhaustion!);
    expect(predictedDay % 7).toBeLessThan(5);
  });

  it("is not moved by a one-day spike (a load test, a backfill)", () => {
    const samples = history(
      { base: 40, growthPerDay: 1, dailyAmplitude: 10, weekendDip: 0, noise: 0, seed: 6 },
      60,
    );
    const spiked = samples.map((s) =>
      (s.t - START) / DAY >= 10 && (s.t - START) / DAY < 11 ? { ...s, v: s.v * 3 } : s,
    );
    expect(forecast(spiked, 100).daysToExhaustion!).toBeCloseTo(forecast(samples, 100).daysToExhaustion!, 0);
  });

  it(`declines with fewer than ${MIN_DAYS} full days, saying how many it had`, () => {
    const samples = history(
      { base: 40, growthPerDay: 1, dailyAmplitude: 10, weekendDip: 0, noise: 0, seed: 7 },
      3,
    );
    const f = forecastExhaustion({ samples, capacity: 100, now: START + 3 * DAY });
    expect(f).toEqual({ insufficient: `3 full days of history, ${MIN_DAYS} needed` });
  });

  // Held-out accuracy: 30 labelled histories with trend, daily cycle, quiet weekends and noise.
  // The engine sees the first 28 days; the truth is the day the noisy peak first reached the
  // capacity in the days it did not see.
  it("predicts held-out exhaustion within bounds over 30 labelled histories", () => {
    const rnd = prng(2026);
    const errors: number[] = [];
    let covered = 0;
    const widths: number[] = [];
    for (let i = 0; i < 30; i++) {
      const base = 20 + rnd.next() * 40;
      const growth = 0.3 + rnd.next() * 1.5;
      const shape = {
        base,
        growthPerDay: growth,
        dailyAmplitude: 5 + rnd.next() * 20,
        weekendDip: rnd.next() * 0.6,
        noise: rnd.next() * 2,
        seed: 100 + i,
      };
      const ahead = 5 + rnd.next() * 35; // days after the fit ends
      const capacity = base + growth * (FIT_DAYS + ahead) + shape.dailyAmplitude;
      const samples = history(shape, FIT_DAYS + 200);
      const truth = actualCrossing(samples, capacity, FIT_DAYS)! - FIT_DAYS;
      const f = forecast(
        samples.filter((s) => s.t < START + FIT_DAYS * DAY),
        capacity,
      );
      errors.push(Math.abs(f.daysToExhaustion! - truth) / truth);
      widths.push((f.band.latest ?? 365) - f.band.earliest!);
      if (f.band.earliest! - 1 <= truth && (f.band.latest === null || truth <= f.band.latest + 1)) covered++;
    }
    const mape = errors.reduce((a, b) => a + b, 0) / errors.length;
    console.log(
      `capacity forecast on 30 held-out histories: MAPE ${(mape * 100).toFixed(1)} %, 80 % band covered ${covered}/30, median width ${widths.sort((a, b) => a - b)[15]} days`,
    );
    expect(mape).toBeLessThan(0.15);
    expect(covered).toBeGreaterThanOrEqual(24);
  });
});
