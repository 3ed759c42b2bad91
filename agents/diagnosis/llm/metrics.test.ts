import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createLLMMetrics } from "./metrics.ts";

const usage = { used: true, promptTokens: 10, completionTokens: 2, latencyMs: 5 };

describe("createLLMMetrics", () => {
  it("shares one set of metrics between the controllers of a registry", async () => {
    const registry = new Registry();
    const diagnosis = createLLMMetrics(registry);
    const classification = createLLMMetrics(registry);
    diagnosis.observe("diagnosis", usage);
    classification.observe("classification", { ...usage, used: false, fallbackReason: "LLMTimedOut" });
    const text = await registry.metrics();
    expect(text).toContain('aisre_llm_consultations_total{purpose="diagnosis",outcome="used"} 1');
    expect(text).toContain('aisre_llm_consultations_total{purpose="classification",outcome="LLMTimedOut"} 1');
    expect(text).toContain('aisre_llm_tokens_total{purpose="classification",type="prompt"} 10');
    expect(text.match(/^# TYPE aisre_llm_consultations_total/gm)).toHaveLength(1);
  });
});
