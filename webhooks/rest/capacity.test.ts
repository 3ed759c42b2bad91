import { afterEach, describe, expect, it } from "vitest";
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
