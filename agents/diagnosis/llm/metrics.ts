/** Prometheus metrics of LLM consultations: requests by outcome, tokens, latency. */
import { Counter, Histogram } from "prom-client";
import type { Registry } from "prom-client";
import type { LLMUsageSink } from "./agent.ts";

const LATENCY_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300];

/** Registers the LLM metrics on a registry and returns the sink explainWithLLM/classifyWithLLM feed. */
export function createLLMMetrics(registry: Registry): LLMUsageSink {
  const registers = [registry];
  const consultations = new Counter({
    name: "aisre_llm_consultations_total",
    help: "LLM consultations by purpose and outcome (used, or the fallback reason)",
    labelNames: ["purpose", "outcome"],
    registers,
  });
  const tokens = new Counter({
    name: "aisre_llm_tokens_total",
    help: "LLM tokens spent by purpose and type (prompt, completion)",
    labelNames: ["purpose", "type"],
    registers,
  });
  const latency = new Histogram({
    name: "aisre_llm_latency_seconds",
    help: "Wall time of one LLM consultation, tool rounds included",
    labelNames: ["purpose"],
    buckets: LATENCY_BUCKETS,
    registers,
  });
  return {
    observe(purpose, usage) {
      consultations.inc({ purpose, outcome: usage.used ? "used" : (usage.fallbackReason ?? "unknown") });
      tokens.inc({ purpose, type: "prompt" }, usage.promptTokens);
      tokens.inc({ purpose, type: "completion" }, usage.completionTokens);
      latency.observe({ purpose }, usage.latencyMs / 1000);
    },
  };
}
