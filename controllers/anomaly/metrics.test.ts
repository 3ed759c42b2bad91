import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createAnomalyMetrics } from "./metrics.ts";

describe("createAnomalyMetrics", () => {
  it("counts queries, gaps and task changes, and open tasks per AgentConfig until forgotten", async () => {
    const registry = new Registry();
    const m = createAnomalyMetrics(registry);
    m.cycle(0.4, 90, 15);
    m.task("opened");
    m.open("shop/m", 2);
    let text = await registry.metrics();
    expect(text).toContain("aisre_anomaly_queries_total 90");
    expect(text).toContain("aisre_anomaly_gaps_total 15");
    expect(text).toContain('aisre_anomaly_tasks_total{change="opened"} 1');
    expect(text).toContain('aisre_anomaly_open_tasks{agentconfig="shop/m"} 2');
    expect(text).toContain("aisre_anomaly_cycle_duration_seconds_count 1");
    m.forget("shop/m");
    text = await registry.metrics();
    expect(text).not.toContain('agentconfig="shop/m"');
  });
});
