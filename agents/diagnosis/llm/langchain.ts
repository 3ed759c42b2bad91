/**
 * LangChain, loaded on first use: its modules cost about 80 MiB of RSS, and an operator
 * without an LLM never needs them (docs/scaling.md, idle memory).
 */
import type * as LangchainMessages from "@langchain/core/messages";
import type * as LangchainOpenAI from "@langchain/openai";

type Messages = typeof LangchainMessages;
type OpenAI = typeof LangchainOpenAI;

let messages: Promise<Messages> | undefined;
let openai: Promise<OpenAI> | undefined;

/** LangChain's message classes, imported once. */
export function langchainMessages(): Promise<Messages> {
  messages ??= import("@langchain/core/messages");
  return messages;
}

/** LangChain's OpenAI-protocol chat models, imported once. */
export function langchainOpenAI(): Promise<OpenAI> {
  openai ??= import("@langchain/openai");
  return openai;
}
