import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createLLMMetrics } from "../../agents/diagnosis/llm/index.ts";
import { sharedLLMMetrics } from "./llm-metrics.ts";

const usage = { used: true, promptTokens: 10, completionTokens: 2, latencyMs: 5 };

describe("sharedLLMMetrics", () => {
  it("feeds the metrics the DiagnosisRun controller registered, without registering them twice", async () => {
    const registry = new Registry();
    const sink = sharedLLMMetrics(registry);
    createLLMMetrics(registry).observe("diagnosis", usage);
    sink.observe("classification", { ...usage, used: false, fallbackReason: "LLMTimedOut" });
    const text = await registry.metrics();
    expect(text).toContain('aisre_llm_consultations_total{purpose="diagnosis",outcome="used"} 1');
    expect(text).toContain('aisre_llm_consultations_total{purpose="classification",outcome="LLMTimedOut"} 1');
  });

  it("registers the metrics itself when nobody else did", async () => {
    const registry = new Registry();
    sharedLLMMetrics(registry).observe("classification", usage);
    expect(await registry.metrics()).toContain(
      'aisre_llm_tokens_total{purpose="classification",type="prompt"} 10',
    );
  });
});
