import { afterEach, describe, expect, it } from "vitest";
import { insertCapacityReport } from "../../store/capacity-forecasts.ts";
import { migrate } from "../../store/migrate.ts";
import { MEMORY_DATA_DIR, openPglite } from "../../store/pglite.ts";
import { testSidecar } from "../testing/sidecar.ts";
import type { TestSidecar } from "../testing/sidecar.ts";

let t: TestSidecar | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
  delete process.env.AISRE_PROMETHEUS_URL;
});

async function sidecar(): Promise<TestSidecar> {
  t = await testSidecar();
  t.fake.users.set("ops", { username: "ops", allow: ["list nodes *"] });
  t.fake.users.set("dev", { username: "dev", allow: ["list sretasks shop"] });
  return t;
}

const get = (s: TestSidecar, token: string, url = "/api/v1/capacity") =>
  s.app.inject({ method: "GET", url, headers: { authorization: `Bearer ${token}` } });

describe("GET /api/v1/capacity", () => {
  it("needs the right to list nodes: cluster-wide figures", async () => {
    const s = await sidecar();
    expect((await get(s, "dev")).statusCode).toBe(403);
  });

  it("says it is not available when no Prometheus is configured", async () => {
    const s = await sidecar();
    const res = await get(s, "ops");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      available: false,
      items: [],
      gaps: ["no Prometheus configured (AISRE_PROMETHEUS_URL)"],
    });
  });

  it("reports an unreachable Prometheus as gaps, not as a failure", async () => {
    process.env.AISRE_PROMETHEUS_URL = "http://127.0.0.1:1";
    const s = await sidecar();
    const res = await get(s, "ops");
    expect(res.statusCode).toBe(200);
    const body = res.json() as { available: boolean; items: unknown[]; gaps: string[] };
    expect(body.available).toBe(true);
    expect(body.items).toEqual([]);
    expect(body.gaps[0]).toMatch(
      /^nodePool cpu requests: Prometheus at http:\/\/127\.0\.0\.1:1\/ unreachable/,
    );
  });

  it("refuses a horizon out of range, naming it", async () => {
    const s = await sidecar();
    const res = await get(s, "ops", "/api/v1/capacity?horizon=0");
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain("horizon");
  });
});

describe("GET /api/v1/capacity/history", { timeout: 120_000 }, () => {
  const url = "/api/v1/capacity/history?scope=volume&key=shop/data-0&resource=storage";

  it("answers 503 without an incident store and 400 naming a missing field", async () => {
    const s = await sidecar();
    expect((await get(s, "ops", url)).statusCode).toBe(503);
    expect((await get(s, "dev", url)).statusCode).toBe(403);
    const bad = await get(s, "ops", "/api/v1/capacity/history?scope=volume&key=shop/data-0");
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("resource");
  });

  it("returns one key's stored forecasts, oldest first, within the days asked", async () => {
    const db = await openPglite(MEMORY_DATA_DIR);
    try {
      await migrate(db);
      const now = Date.now();
      for (const daysAgo of [40, 2, 1])
        await insertCapacityReport(db, {
          generatedAt: new Date(now - daysAgo * 86_400_000),
          historyDays: 14,
          items: [
            {
              scope: "volume",
              key: "shop/data-0",
              resource: "storage",
              measure: "usage",
              forecast: {
                capacity: 100,
                lastPeak: 90 - daysAgo,
                utilization: (90 - daysAgo) / 100,
                slopePerDay: 1,
                daysToExhaustion: 10 + daysAgo,
                band: { earliest: 9 + daysAgo, latest: 12 + daysAgo },
                seasonality: "none",
              },
            },
          ],
        });
      t = await testSidecar({}, { store: db });
      t.fake.users.set("ops", { username: "ops", allow: ["list nodes *"] });
      const res = await get(t, "ops", url);
      expect(res.statusCode).toBe(200);
      const rows = (res.json() as { rows: Array<{ daysToExhaustion: number; used: number }> }).rows;
      expect(rows.map((r) => r.daysToExhaustion)).toEqual([12, 11]);
      expect(rows.map((r) => r.used)).toEqual([88, 89]);
    } finally {
      await t?.close();
      t = undefined;
      await db.close();
    }
  });
});
