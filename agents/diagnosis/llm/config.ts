/**
 * LLM settings: what the agents need to reach an OpenAI-compatible endpoint, derived from
 * AgentConfig spec.llm plus the API key the controller read from the named Secret.
 */
import type { Static } from "@sinclair/typebox";
import type { LLMConfig } from "../../../crds/agentconfig-tools.ts";
import type { Reason } from "../../../crds/reasons.ts";

/** Everything one LLM consultation needs. */
export interface LLMSettings {
  baseURL: string;
  apiKey: string;
  model: string;
  temperature?: number;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Most tool-calling rounds (and tool calls) per diagnosis. */
  maxSteps?: number;
  /** Most completion tokens per request. */
  maxTokens?: number;
  /** Most characters of one tool result. */
  maxToolChars?: number;
  /** Most characters of tool output per consultation, all calls together. */
  maxContextChars?: number;
  /** Replace namespaces and object names with placeholders the answer is mapped back from. */
  anonymize?: boolean;
}

/** Defaults, as crds/agentconfig-tools.ts declares them. */
export const LLM_DEFAULTS = {
  temperature: 0,
  timeoutMs: 60_000,
  maxSteps: 8,
  maxTokens: 4096,
  maxToolChars: 6_000,
  maxContextChars: 48_000,
} as const;

/** Why the deterministic result stands alone (crds/reasons.ts). */
export type LLMFallbackReason =
  | typeof Reason.LLMDisabled
  | typeof Reason.LLMTimedOut
  | typeof Reason.LLMUnavailable
  | typeof Reason.LLMInvalidAnswer;

/** What one consultation cost and whether it counted (DiagnosisRun status.llm). */
export interface LLMUsage {
  used: boolean;
  model?: string;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  fallbackReason?: LLMFallbackReason;
  /** One redacted line on what went wrong, for the condition message and logs. */
  fallbackDetail?: string;
}

export type AgentConfigLLM = Static<typeof LLMConfig>;

/** Settings from AgentConfig spec.llm and the Secret's API key; undefined when the LLM is off or incomplete. */
export function llmSettings(
  spec: AgentConfigLLM | undefined,
  apiKey: string | undefined,
): LLMSettings | undefined {
  if (!spec?.enabled || !spec.baseURL || !spec.model || !apiKey) return undefined;
  const s: LLMSettings = { baseURL: spec.baseURL, apiKey, model: spec.model };
  if (spec.temperature !== undefined) s.temperature = spec.temperature;
  if (spec.timeoutSeconds !== undefined) s.timeoutMs = spec.timeoutSeconds * 1000;
  if (spec.maxSteps !== undefined) s.maxSteps = spec.maxSteps;
  if (spec.maxTokens !== undefined) s.maxTokens = spec.maxTokens;
  return s;
}
