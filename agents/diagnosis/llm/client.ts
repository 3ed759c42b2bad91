/**
 * The chat model client and its failure taxonomy: one ChatOpenAICompletions (the Chat
 * Completions protocol every OpenAI-compatible endpoint speaks) with LangChain's retries
 * off, so a 429 or a timeout falls back at once instead of stalling a reconcile.
 */
import type { AIMessage, BaseMessage } from "@langchain/core/messages";
import type { ChatOpenAICompletions } from "@langchain/openai";
import { Reason } from "../../../crds/reasons.ts";
import type { LLMFallbackReason, LLMSettings, LLMUsage } from "./config.ts";
import { LLM_DEFAULTS } from "./config.ts";
import { langchainOpenAI } from "./langchain.ts";
import { redactText } from "../../../redact/index.ts";

/** The model answered, but not with something the schema accepts. */
export class LLMAnswerError extends Error {
  override name = "LLMAnswerError";
}

/** A chat model for these settings. */
export async function chatModel(cfg: LLMSettings): Promise<ChatOpenAICompletions> {
  const { ChatOpenAICompletions } = await langchainOpenAI();
  return new ChatOpenAICompletions({
    model: cfg.model,
    apiKey: cfg.apiKey,
    configuration: { baseURL: cfg.baseURL },
    temperature: cfg.temperature ?? LLM_DEFAULTS.temperature,
    timeout: cfg.timeoutMs ?? LLM_DEFAULTS.timeoutMs,
    maxTokens: cfg.maxTokens ?? LLM_DEFAULTS.maxTokens,
    maxRetries: 0,
  });
}

/** Something that answers a list of messages (a chat model, with or without bound tools). */
export interface Invokable {
  invoke(messages: BaseMessage[], options?: { signal?: AbortSignal }): Promise<AIMessage>;
}

/** Token and latency accounting across the requests of one consultation. */
export class UsageMeter {
  promptTokens = 0;
  completionTokens = 0;
  model: string | undefined;
  private readonly started = performance.now();

  /** Adds the usage one answer reports. */
  add(msg: AIMessage): void {
    this.promptTokens += msg.usage_metadata?.input_tokens ?? 0;
    this.completionTokens += msg.usage_metadata?.output_tokens ?? 0;
    const name = msg.response_metadata?.model_name;
    if (typeof name === "string" && name) this.model = name;
  }

  /** The usage so far, as status.llm holds it. */
  usage(used: boolean, fallback?: { reason: LLMFallbackReason; detail: string }): LLMUsage {
    const u: LLMUsage = {
      used,
      promptTokens: this.promptTokens,
      completionTokens: this.completionTokens,
      latencyMs: Math.round(performance.now() - this.started),
    };
    if (this.model) u.model = this.model;
    if (fallback) {
      u.fallbackReason = fallback.reason;
      u.fallbackDetail = fallback.detail;
    }
    return u;
  }
}

function statusOf(err: object): number | undefined {
  const s = (err as { status?: unknown }).status;
  return typeof s === "number" ? s : undefined;
}

/** The reason a failed consultation falls back: timeouts, unavailability, or a bad answer. */
export function fallbackReason(err: unknown): LLMFallbackReason {
  if (err instanceof LLMAnswerError || err instanceof SyntaxError) return Reason.LLMInvalidAnswer;
  if (typeof err !== "object" || err === null) return Reason.LLMUnavailable;
  const name = (err as { name?: unknown }).name;
  if (name === "TimeoutError" || name === "AbortError") return Reason.LLMTimedOut;
  if (name === "APIConnectionTimeoutError" || name === "APIUserAbortError") return Reason.LLMTimedOut;
  return statusOf(err) === undefined && /timed? ?out/i.test(String((err as Error).message))
    ? Reason.LLMTimedOut
    : Reason.LLMUnavailable;
}

/** One redacted line describing the failure (endpoint errors may echo keys or prompts). */
export function fallbackDetail(err: unknown): string {
  const status = typeof err === "object" && err !== null ? statusOf(err) : undefined;
  const message = err instanceof Error ? err.message : String(err);
  const line = redactText(message.split("\n")[0] ?? "").slice(0, 200);
  return status ? `HTTP ${status}: ${line}` : line;
}

/** The text of a message's content, whatever shape the provider used. */
export function textOf(msg: AIMessage): string {
  if (typeof msg.content === "string") return msg.content;
  return msg.content
    .map((part) => (typeof part === "string" ? part : "text" in part ? String(part.text) : ""))
    .join("");
}
