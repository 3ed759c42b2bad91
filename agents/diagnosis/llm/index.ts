/** The optional LLM layer of the diagnosis (off by default): explanation and ranking over redacted data. */
export { explainWithLLM, llmCondition } from "./agent.ts";
export type { ExplainOptions, LLMExplanation, LLMUsageSink } from "./agent.ts";
export type { ExplainedDiagnosis } from "./answer.ts";
export { Anonymizer } from "./anonymize.ts";
export { chatModel } from "./client.ts";
export { LLM_DEFAULTS, llmSettings } from "./config.ts";
export type { LLMFallbackReason, LLMSettings, LLMUsage } from "./config.ts";
export { fence } from "./fence.ts";
export { createLLMMetrics } from "./metrics.ts";
