import { describe, expect, it } from "vitest";
import { PrometheusClient, PrometheusError } from "../../tools/prometheus/client.ts";
import { usePrometheus } from "../support/prometheus.ts";

describe("PrometheusClient against Debian's Prometheus", () => {
  const prom = usePrometheus();

  it("answers instant and range queries with labelled samples", async (ctx) => {
    if (!prom.current) return ctx.skip();
    const client = new PrometheusClient(prom.current.url);
    const samples = await waitFor(() => client.query('up{job="prometheus"}'));
    expect(samples[0]).toMatchObject({ labels: { job: "prometheus" }, value: 1 });
    expect(await client.query("1 + 1")).toEqual([{ labels: {}, value: 2 }]);
    const end = new Date();
    const series = await client.queryRange("up", new Date(end.getTime() - 10_000), end, 1);
    expect(series[0]?.points.length).toBeGreaterThan(0);
  });

  it("turns a bad expression and an unreachable server into PrometheusError", async (ctx) => {
    if (!prom.current) return ctx.skip();
    await expect(new PrometheusClient(prom.current.url).query("sum(")).rejects.toThrow(/400.*bad_data/);
    const dead = new PrometheusClient("http://127.0.0.1:9", 1_000);
    await expect(dead.query("up")).rejects.toBeInstanceOf(PrometheusError);
  });
});

async function waitFor<T>(fn: () => Promise<T[]>): Promise<T[]> {
  for (let i = 0; i < 60; i++) {
    const v = await fn();
    if (v.length > 0) return v;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error("no samples after 30 s");
}
