/**
 * The capacity forecasts table's contract, run on in-memory PGlite (store/capacity-forecasts.test.ts)
 * and on a real PostgreSQL (test/capacity/forecasts-postgres.test.ts): insert a report, read the
 * latest row per key and one key's history, prune by age.
 */
import { expect, it } from "vitest";
import type { Queryable } from "../../store/database.ts";
import type { CapacityForecastItem } from "../../store/capacity-forecasts.ts";
import {
  capacityForecastHistory,
  insertCapacityReport,
  latestCapacityForecasts,
  pruneCapacityForecasts,
} from "../../store/capacity-forecasts.ts";
import { StoreInputError } from "../../store/sql.ts";

const DAY = 86_400_000;
const T0 = Date.parse("2026-11-01T06:00:00Z");

/** A PVC filling by `perDay` bytes a day out of 10 GiB, seen on day `d`. */
function pvc(key: string, d: number, perDay: number, weekly = false): CapacityForecastItem {
  const cap = 10 * 2 ** 30;
  const used = 2 * 2 ** 30 + perDay * d;
  const days = perDay > 0 ? Math.ceil((cap - used) / perDay) : null;
  return {
    scope: "volume",
    key,
    resource: "storage",
    measure: "usage",
    forecast: {
      capacity: cap,
      lastPeak: used,
      utilization: used / cap,
      slopePerDay: perDay,
      daysToExhaustion: days,
      band: { earliest: days === null ? null : days - 1, latest: days === null ? null : days + 2 },
      seasonality: weekly ? "weekly" : "none",
    },
  };
}

/** Registers the cases; `db()` is a migrated database whose capacity_forecasts table is empty. */
export function forecastStoreCases(db: () => Queryable): void {
  it("stores each report, answers the latest per key soonest first, and one key's history in order", async () => {
    for (let d = 0; d < 5; d++) {
      const n = await insertCapacityReport(db(), {
        generatedAt: new Date(T0 + d * DAY),
        historyDays: 14,
        agentConfig: "shop/default",
        items: [
          pvc("shop/data-db-0", d, 400 * 2 ** 20, true),
          pvc("pay/ledger-0", d, 0),
          { scope: "node", key: "n1", resource: "cpu", measure: "usage" }, // no forecast: skipped
        ],
      });
      expect(n).toBe(2);
    }
    const latest = await latestCapacityForecasts(db());
    expect(latest.map((r) => r.key)).toEqual(["shop/data-db-0", "pay/ledger-0"]);
    const [first] = latest;
    expect(first!.generatedAt).toBe(new Date(T0 + 4 * DAY).toISOString());
    expect(first!.method).toBe("theil-sen+weekly");
    expect(first!.agentConfig).toBe("shop/default");
    expect(first!.daysToExhaustion).toBe(Math.ceil((8 * 2 ** 30 - 1600 * 2 ** 20) / (400 * 2 ** 20)));
    expect(first!.bandLow).toBe(first!.daysToExhaustion! - 1);
    expect(latest[1]!.daysToExhaustion).toBeNull();

    expect((await latestCapacityForecasts(db(), { namespaces: ["pay"] })).map((r) => r.key)).toEqual([
      "pay/ledger-0",
    ]);
    expect((await latestCapacityForecasts(db(), { horizonDays: 30 })).map((r) => r.key)).toEqual([
      "shop/data-db-0",
    ]);

    const history = await capacityForecastHistory(db(), {
      scope: "volume",
      key: "shop/data-db-0",
      resource: "storage",
      since: new Date(T0 + DAY),
    });
    expect(history.map((r) => r.generatedAt)).toEqual(
      [1, 2, 3, 4].map((d) => new Date(T0 + d * DAY).toISOString()),
    );
    // Days to exhaustion shrink as the volume fills.
    const days = history.map((r) => r.daysToExhaustion!);
    expect(days).toEqual([...days].sort((a, b) => b - a));
    expect(days[0]).toBeGreaterThan(days.at(-1)!);
  });

  it("replaces a retried cycle's rows instead of doubling them", async () => {
    const report = { generatedAt: new Date(T0), historyDays: 7, items: [pvc("shop/a", 1, 2 ** 20)] };
    await insertCapacityReport(db(), report);
    await insertCapacityReport(db(), { ...report, items: [pvc("shop/a", 2, 2 ** 20)] });
    const rows = await capacityForecastHistory(db(), { scope: "volume", key: "shop/a", resource: "storage" });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.used).toBe(2 * 2 ** 30 + 2 * 2 ** 20);
    expect(rows[0]!.historyDays).toBe(7);
  });

  it("prunes rows older than the retention and keeps the rest", async () => {
    for (const d of [0, 10, 40])
      await insertCapacityReport(db(), {
        generatedAt: new Date(T0 - d * DAY),
        historyDays: 14,
        items: [pvc("shop/b", d, 2 ** 20)],
      });
    expect(await pruneCapacityForecasts(db(), 30, new Date(T0))).toBe(1);
    const left = await capacityForecastHistory(db(), { scope: "volume", key: "shop/b", resource: "storage" });
    expect(left.map((r) => r.generatedAt)).toEqual([
      new Date(T0 - 10 * DAY).toISOString(),
      new Date(T0).toISOString(),
    ]);
  });

  it("refuses bad input with the field named", async () => {
    await expect(
      insertCapacityReport(db(), { generatedAt: "yesterday", historyDays: 14, items: [] }),
    ).rejects.toThrow(StoreInputError);
    await expect(
      insertCapacityReport(db(), { generatedAt: new Date(), historyDays: 0, items: [] }),
    ).rejects.toThrow(/historyDays/);
    await expect(pruneCapacityForecasts(db(), 0)).rejects.toThrow(/retention/);
  });
}
