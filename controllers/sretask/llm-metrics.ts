/**
 * The LLM metrics for the classifier's consultations. The DiagnosisRun controller registers
 * the same metrics on the manager's registry at start-up, and prom-client refuses a second
 * registration, so this sink resolves them on first use: the registered ones when present,
 * else it registers them itself.
 */
import type { Counter, Histogram, Registry } from "prom-client";
import { createLLMMetrics, type LLMUsageSink } from "../../agents/diagnosis/llm/index.ts";

const CONSULTATIONS = "aisre_llm_consultations_total";

function registered(registry: Registry): LLMUsageSink {
  const consultations = registry.getSingleMetric(CONSULTATIONS) as Counter;
  const tokens = registry.getSingleMetric("aisre_llm_tokens_total") as Counter;
  const latency = registry.getSingleMetric("aisre_llm_latency_seconds") as Histogram;
  return {
    observe(purpose, usage) {
      consultations.inc({ purpose, outcome: usage.used ? "used" : (usage.fallbackReason ?? "unknown") });
      tokens.inc({ purpose, type: "prompt" }, usage.promptTokens);
      tokens.inc({ purpose, type: "completion" }, usage.completionTokens);
      latency.observe({ purpose }, usage.latencyMs / 1000);
    },
  };
}

/** An LLM usage sink on the registry that shares the metrics another controller may have registered. */
export function sharedLLMMetrics(registry: Registry): LLMUsageSink {
  let sink: LLMUsageSink | undefined;
  return {
    observe(purpose, usage) {
      sink ??= registry.getSingleMetric(CONSULTATIONS) ? registered(registry) : createLLMMetrics(registry);
      sink.observe(purpose, usage);
    },
  };
}
