import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createMonitoringMetrics } from "./metrics.ts";

describe("createMonitoringMetrics", () => {
  it("counts queries by result, task changes, and series per AgentConfig until forgotten", async () => {
    const registry = new Registry();
    const m = createMonitoringMetrics(registry);
    m.cycle(0.2, 5, 2);
    m.task("opened");
    m.series("shop/default", 3, 1);
    let text = await registry.metrics();
    expect(text).toContain('aisre_monitor_queries_total{result="ok"} 3');
    expect(text).toContain('aisre_monitor_queries_total{result="gap"} 2');
    expect(text).toContain('aisre_monitor_tasks_total{change="opened"} 1');
    expect(text).toContain('aisre_monitor_series{agentconfig="shop/default",state="firing"} 3');
    expect(text).toContain("aisre_monitor_cycle_duration_seconds_count 1");
    m.forget("shop/default");
    text = await registry.metrics();
    expect(text).not.toContain('agentconfig="shop/default"');
  });
});
