/**
 * explainWithLLM: one consultation of an OpenAI-compatible model about a finished
 * deterministic diagnosis. A manual tool-calling loop (bindTools + ToolMessage) keeps every
 * request, tool call and budget in view; any failure returns the deterministic result with
 * the reason, so the LLM can only ever add to a diagnosis, never lose one.
 */
import type { AIMessage, BaseMessage } from "@langchain/core/messages";
import { Reason } from "../../../crds/reasons.ts";
import type { DiagnosisResult, Focus } from "../types.ts";
import type { ClusterView } from "../view.ts";
import { Anonymizer } from "./anonymize.ts";
import type { ExplainedDiagnosis } from "./answer.ts";
import { mergeAnswer, parseAnswer } from "./answer.ts";
import type { Invokable } from "./client.ts";
import { UsageMeter, chatModel, fallbackDetail, fallbackReason, textOf } from "./client.ts";
import type { LLMSettings, LLMUsage } from "./config.ts";
import { LLM_DEFAULTS } from "./config.ts";
import { ANSWER_NOW, systemPrompt, userPrompt } from "./prompt.ts";
import type { Sanitizer } from "./sanitize.ts";
import { makeSanitizer } from "./sanitize.ts";
import type { ToolScope } from "./scope.ts";
import type { ToolBox } from "./tools.ts";
import { readOnlyTools } from "./tools.ts";
import type { RemoteToolSource } from "../../../tools/mcp/client.ts";
import { withRemoteTools } from "./mcp-tools.ts";
import { langchainMessages } from "./langchain.ts";

/** Where LLM usage is recorded (operator metrics); optional. */
export interface LLMUsageSink {
  observe(purpose: "diagnosis" | "classification", usage: LLMUsage): void;
}

/** Extra inputs of a consultation. */
export interface ExplainOptions {
  /** The alert and target the diagnosis started from, shown to the model (fenced). */
  focus?: Focus;
  /** Aborts the whole consultation (e.g. the DiagnosisRun's own timeout); counts as LLMTimedOut. */
  signal?: AbortSignal;
  metrics?: LLMUsageSink;
  /**
   * Where the tools may read: the task's namespace (and the cluster objects it uses). Default:
   * the focus's namespace; without one, no namespace at all.
   */
  scope?: ToolScope;
  /** Allow-listed tools of remote MCP servers (spec.tools.mcpServers), offered beside ours. */
  remoteTools?: RemoteToolSource;
}

/** The focus's namespace as the scope, when the caller names none. */
function scopeOf(focus: Focus | undefined): ToolScope {
  return { namespace: focus?.target?.namespace || focus?.alert?.labels?.namespace || "" };
}

/** The outcome: the (possibly refined) diagnosis and what the LLM step cost. */
export interface LLMExplanation {
  result: ExplainedDiagnosis;
  llm: LLMUsage;
}

type Messages = Awaited<ReturnType<typeof langchainMessages>>;

async function runTools(
  ai: AIMessage,
  tools: ToolBox,
  messages: BaseMessage[],
  lc: Messages,
): Promise<number> {
  const { ToolMessage } = lc;
  const calls = ai.tool_calls ?? [];
  for (const call of calls) {
    const content = await tools.run(call.name, call.args);
    messages.push(new ToolMessage({ tool_call_id: call.id ?? call.name, content }));
  }
  // Malformed calls still need an answer, or the next request breaks the protocol.
  for (const bad of ai.invalid_tool_calls ?? []) {
    const content = "error: the arguments were not valid JSON";
    messages.push(new ToolMessage({ tool_call_id: bad.id ?? bad.name ?? "invalid", content }));
  }
  return calls.length + (ai.invalid_tool_calls?.length ?? 0);
}

interface Loop {
  withTools: Invokable;
  plain: Invokable;
  tools: ToolBox;
  meter: UsageMeter;
  maxSteps: number;
  signal: AbortSignal | undefined;
  lc: Messages;
}

/** Runs rounds until the model answers without tool calls; the last round offers no tools. */
async function converse(loop: Loop, messages: BaseMessage[]): Promise<string> {
  const opts = loop.signal ? { signal: loop.signal } : {};
  for (let step = 0; step < loop.maxSteps; step++) {
    const ai = await loop.withTools.invoke(messages, opts);
    loop.meter.add(ai);
    messages.push(ai);
    if ((await runTools(ai, loop.tools, messages, loop.lc)) === 0) return textOf(ai);
  }
  messages.push(new loop.lc.HumanMessage(ANSWER_NOW));
  const last = await loop.plain.invoke(messages, opts);
  loop.meter.add(last);
  return textOf(last);
}

function sanitizerFor(view: ClusterView, det: DiagnosisResult, cfg: LLMSettings): Sanitizer {
  if (!cfg.anonymize) return makeSanitizer();
  const anon = new Anonymizer().addView(view);
  // Names the engine reported but the view does not list (e.g. deleted pods) are hidden too.
  for (const f of det.findings) anon.add(f.resource.kind, f.resource.name);
  return makeSanitizer(anon);
}

/** Asks the model to explain and rank a deterministic diagnosis; falls back to it on any failure. */
export async function explainWithLLM(
  view: ClusterView,
  deterministic: DiagnosisResult,
  cfg: LLMSettings,
  opts: ExplainOptions = {},
): Promise<LLMExplanation> {
  const meter = new UsageMeter();
  const maxSteps = cfg.maxSteps ?? LLM_DEFAULTS.maxSteps;
  const s = sanitizerFor(view, deterministic, cfg);
  const limits = {
    maxCalls: maxSteps,
    maxChars: cfg.maxToolChars ?? LLM_DEFAULTS.maxToolChars,
    maxTotalChars: cfg.maxContextChars ?? LLM_DEFAULTS.maxContextChars,
    queryTimeoutMs: cfg.timeoutMs ?? LLM_DEFAULTS.timeoutMs,
  };
  const ours = readOnlyTools(view, s, limits, opts.scope ?? scopeOf(opts.focus));
  const tools = opts.remoteTools ? withRemoteTools(ours, opts.remoteTools, s, limits) : ours;
  const model = await chatModel(cfg);
  const lc = await langchainMessages();
  const { HumanMessage, SystemMessage } = lc;
  const messages: BaseMessage[] = [
    new SystemMessage(systemPrompt(maxSteps)),
    new HumanMessage(
      userPrompt(deterministic, opts.focus ?? {}, s, cfg.maxContextChars ?? LLM_DEFAULTS.maxContextChars),
    ),
  ];
  let outcome: LLMExplanation;
  try {
    const loop: Loop = {
      withTools: model.bindTools(tools.definitions),
      plain: model,
      tools,
      meter,
      maxSteps,
      signal: opts.signal,
      lc,
    };
    const answer = parseAnswer(await converse(loop, messages));
    outcome = { result: mergeAnswer(view, deterministic, answer, s), llm: meter.usage(true) };
  } catch (err) {
    const fallback = { reason: fallbackReason(err), detail: fallbackDetail(err) };
    outcome = { result: deterministic, llm: meter.usage(false, fallback) };
  }
  if (cfg.model && !outcome.llm.model) outcome.llm.model = cfg.model;
  opts.metrics?.observe("diagnosis", outcome.llm);
  return outcome;
}

/** The LLMAssisted condition for a DiagnosisRun, saying whether the LLM helped or why not. */
export function llmCondition(llm: LLMUsage): {
  type: "LLMAssisted";
  status: "True" | "False";
  reason: string;
  message: string;
} {
  if (llm.used)
    return {
      type: "LLMAssisted",
      status: "True",
      reason: Reason.LLMUsed,
      message: `${llm.model ?? "the LLM"} explained the diagnosis (${llm.promptTokens}+${llm.completionTokens} tokens, ${llm.latencyMs} ms)`,
    };
  const why: Record<string, string> = {
    [Reason.LLMTimedOut]: "the LLM timed out",
    [Reason.LLMUnavailable]: "the LLM endpoint was unavailable",
    [Reason.LLMInvalidAnswer]: "the LLM's answer was invalid",
    [Reason.LLMDisabled]: "no LLM is configured",
  };
  const reason = llm.fallbackReason ?? Reason.LLMDisabled;
  const detail = llm.fallbackDetail ? ` (${llm.fallbackDetail})` : "";
  return {
    type: "LLMAssisted",
    status: "False",
    reason,
    message: `${why[reason] ?? reason}${detail}; the deterministic result stands`.slice(0, 1024),
  };
}
