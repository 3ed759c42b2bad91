import { Counter, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { startMetricsServer } from "./server.ts";

describe("startMetricsServer", () => {
  it("serves /metrics on a random port and 404 elsewhere", async () => {
    const registry = new Registry();
    new Counter({ name: "demo_total", help: "demo", registers: [registry] }).inc();
    const server = await startMetricsServer({ registry, port: 0, host: "127.0.0.1" });
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/plain");
      expect(await res.text()).toContain("demo_total 1");
      expect((await fetch(`http://127.0.0.1:${server.port}/other`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it("fails to start on a port in use", async () => {
    const a = await startMetricsServer({ registry: new Registry(), port: 0, host: "127.0.0.1" });
    await expect(
      startMetricsServer({ registry: new Registry(), port: a.port, host: "127.0.0.1" }),
    ).rejects.toThrow();
    await a.close();
  });
});
