import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { registerEventLoopLag } from "./event-loop-lag.ts";
import { createRuntimeMetrics } from "./runtime-metrics.ts";

const sample = (text: string, quantile: string): number => {
  const m = new RegExp(`^aisre_event_loop_lag_seconds\\{quantile="${quantile}"\\} (\\S+)$`, "m").exec(text);
  if (!m) throw new Error(`no sample for quantile ${quantile} in:\n${text}`);
  return Number(m[1]);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("aisre_event_loop_lag_seconds", () => {
  it("reports a blocked event loop as its maximum, then resets at the scrape", async () => {
    const registry = new Registry();
    const stop = registerEventLoopLag(registry);
    try {
      await sleep(50);
      const started = Date.now();
      while (Date.now() - started < 300); // a reconcile that blocks the loop for 300 ms
      await sleep(50);
      const blocked = await registry.metrics();
      expect(sample(blocked, "1")).toBeGreaterThanOrEqual(0.2);
      expect(sample(blocked, "1")).toBeGreaterThanOrEqual(sample(blocked, "0.5"));

      await sleep(100);
      const after = await registry.metrics();
      // The next window did not see the block (a loaded machine may still add some delay).
      expect(sample(after, "1")).toBeLessThan(sample(blocked, "1"));
    } finally {
      stop();
    }
  });

  it("is part of the runtime metrics even without prom-client's default metrics", async () => {
    const text = await createRuntimeMetrics({ defaultMetrics: false }).registry.metrics();
    expect(text).toContain("# TYPE aisre_event_loop_lag_seconds gauge");
    expect(text).not.toContain("nodejs_eventloop_lag_p99_seconds");
    expect(Number.isFinite(sample(text, "0.99"))).toBe(true);
  });
});
