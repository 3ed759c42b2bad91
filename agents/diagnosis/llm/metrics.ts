/** Prometheus metrics of LLM consultations: requests by outcome, tokens, latency. */
import { Counter, Histogram } from "prom-client";
import type { Metric, Registry } from "prom-client";
import type { LLMUsageSink } from "./agent.ts";

const LATENCY_BUCKETS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300];

/** The metric already on the registry under name, else the one make() registers. */
function once<T extends Metric>(registry: Registry, name: string, make: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? make();
}

/**
 * The sink explainWithLLM/classifyWithLLM feed. Several controllers consult the LLM, so the
 * metrics are registered on the first call for a registry and shared by the later ones.
 */
export function createLLMMetrics(registry: Registry): LLMUsageSink {
  const registers = [registry];
  const consultations = once(
    registry,
    "aisre_llm_consultations_total",
    () =>
      new Counter({
        name: "aisre_llm_consultations_total",
        help: "LLM consultations by purpose and outcome (used, or the fallback reason)",
        labelNames: ["purpose", "outcome"],
        registers,
      }),
  );
  const tokens = once(
    registry,
    "aisre_llm_tokens_total",
    () =>
      new Counter({
        name: "aisre_llm_tokens_total",
        help: "LLM tokens spent by purpose and type (prompt, completion)",
        labelNames: ["purpose", "type"],
        registers,
      }),
  );
  const latency = once(
    registry,
    "aisre_llm_latency_seconds",
    () =>
      new Histogram({
        name: "aisre_llm_latency_seconds",
        help: "Wall time of one LLM consultation, tool rounds included",
        labelNames: ["purpose"],
        buckets: LATENCY_BUCKETS,
        registers,
      }),
  );
  return {
    observe(purpose, usage) {
      consultations.inc({ purpose, outcome: usage.used ? "used" : (usage.fallbackReason ?? "unknown") });
      tokens.inc({ purpose, type: "prompt" }, usage.promptTokens);
      tokens.inc({ purpose, type: "completion" }, usage.completionTokens);
      latency.observe({ purpose }, usage.latencyMs / 1000);
    },
  };
}
