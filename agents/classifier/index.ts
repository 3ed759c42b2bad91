/** The master agent's classifier: rules first, the LLM only when the rules are unsure. */
export { classifyTask, showTarget } from "./classify.ts";
export { classifyWithLLM } from "./llm.ts";
export type { ClassifyWithLLMOptions } from "./llm.ts";
export { resolveTarget } from "./resolve.ts";
export { UNSURE_BELOW } from "./types.ts";
export type { Classification, TaskClassification } from "./types.ts";
