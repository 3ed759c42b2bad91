/**
 * The master agent's classify step: the rules first; when they are unsure and the task's
 * AgentConfig enables an LLM, the LLM. Any LLM trouble (no key, timeout, 429, an invalid
 * answer) keeps the rules' result, and the Classified condition says which one decided.
 */
import { classifyTask, classifyWithLLM } from "../../agents/classifier/index.ts";
import type { TaskClassification } from "../../agents/classifier/index.ts";
import { llmSettings } from "../../agents/diagnosis/llm/index.ts";
import { MASK, redactText } from "../../redact/index.ts";
import type {
  LLMFallbackReason,
  LLMSettings,
  LLMUsage,
  LLMUsageSink,
} from "../../agents/diagnosis/llm/index.ts";
import type { AgentConfig, SreTask, SreTaskStatus } from "../../crds/index.ts";
import { ConditionType, LIMITS, Reason } from "../../crds/index.ts";
import { setCondition } from "../../runtime/index.ts";

/** What the classify step needs from the cluster and the LLM; injectable for tests. */
export interface ClassifyDeps {
  /** The task's AgentConfig (its ref or `default`, else the operator namespace's `default`). */
  agentConfig: () => Promise<AgentConfig | undefined>;
  /** The API key the AgentConfig's Secret holds. */
  apiKey: (config: AgentConfig) => Promise<string | undefined>;
  /** The LLM classifier; agents/classifier's classifyWithLLM unless a test injects one. */
  classifyWithLLM?: typeof classifyWithLLM;
  signal?: AbortSignal;
  metrics?: LLMUsageSink;
}

/** Why the rules' unsure result stands; no reason means the LLM answered but was no surer. */
export interface ClassificationFallback {
  reason?: LLMFallbackReason;
  /** One redacted line on what went wrong; never the API key. */
  detail?: string;
}

/** The decided classification, and why the rules' result stands when they were unsure. */
export interface ClassificationDecision {
  classification: TaskClassification;
  /** Set when the rules were unsure and the LLM did not decide. */
  fallback?: ClassificationFallback;
  /** What the LLM consultation cost, when there was one. */
  llm?: LLMUsage;
}

const firstLine = (err: unknown): string =>
  redactText((err instanceof Error ? err.message : String(err)).split("\n")[0] ?? "").slice(0, 200);

/** Removes the API key from a line, in case an endpoint echoed it back. */
function scrub(line: string | undefined, apiKey: string): string | undefined {
  return line === undefined || !apiKey ? line : line.split(apiKey).join(MASK);
}

/** The LLM settings of the task's AgentConfig, or the reason there are none. */
async function settingsFor(deps: ClassifyDeps): Promise<LLMSettings | ClassificationFallback> {
  let config: AgentConfig | undefined;
  try {
    config = await deps.agentConfig();
    if (!config?.spec.llm?.enabled) return { reason: Reason.LLMDisabled };
    const settings = llmSettings(config.spec.llm, await deps.apiKey(config));
    if (settings) return settings;
  } catch (err) {
    const what = config ? "its API key Secret" : "the AgentConfig";
    return { reason: Reason.LLMUnavailable, detail: `could not read ${what}: ${firstLine(err)}` };
  }
  return {
    reason: Reason.LLMUnavailable,
    detail: "the AgentConfig's LLM has no API key (or no baseURL/model)",
  };
}

type Answered = Awaited<ReturnType<typeof classifyWithLLM>>;

/** The decision from the LLM's answer: its classification when it decided, else the rules' with why. */
function fromAnswer(rules: TaskClassification, answered: Answered, apiKey: string): ClassificationDecision {
  const { classification, llm } = answered;
  if (llm.used && classification.method === "LLM") return { classification, llm };
  const fallback: ClassificationFallback = {};
  if (llm.fallbackReason) fallback.reason = llm.fallbackReason;
  const detail = scrub(llm.fallbackDetail, apiKey);
  if (detail === undefined) return { classification: rules, fallback, llm };
  return {
    classification: rules,
    fallback: { ...fallback, detail },
    llm: { ...llm, fallbackDetail: detail },
  };
}

/**
 * Decides the task's classification: the rules' result when they are sure, else the LLM's
 * when the AgentConfig enables one and it answers validly and surer; otherwise the rules'
 * with the reason. Throws only when `deps.signal` aborted, so a shutdown records nothing.
 */
export async function decideClassification(
  task: SreTask,
  deps: ClassifyDeps,
  rules: TaskClassification = classifyTask(task),
): Promise<ClassificationDecision> {
  if (!rules.unsure) return { classification: rules };
  const settings = await settingsFor(deps);
  if (!("apiKey" in settings)) return { classification: rules, fallback: settings };
  const { signal, metrics } = deps;
  const opts = { rules, ...(signal ? { signal } : {}), ...(metrics ? { metrics } : {}) };
  let answered: Answered;
  try {
    answered = await (deps.classifyWithLLM ?? classifyWithLLM)(task, settings, opts);
  } catch (err) {
    signal?.throwIfAborted();
    const detail = scrub(firstLine(err), settings.apiKey) ?? "";
    return { classification: rules, fallback: { reason: Reason.LLMUnavailable, detail } };
  }
  signal?.throwIfAborted();
  return fromAnswer(rules, answered, settings.apiKey);
}

/** Why the rules' result stands, as the Classified condition says it. */
const FALLBACK_NOTES: Record<LLMFallbackReason, string> = {
  [Reason.LLMDisabled]: "no LLM is configured",
  [Reason.LLMUnavailable]: "LLM fallback: the LLM was unavailable",
  [Reason.LLMTimedOut]: "LLM fallback: the LLM timed out",
  [Reason.LLMInvalidAnswer]: "LLM fallback: the LLM's answer was invalid",
};

/** Who decided, for the Classified condition: "rules", "LLM; the rules were unsure", or rules with the fallback. */
export function decidedBy(decision: ClassificationDecision): string {
  const c = decision.classification;
  if (c.method === "LLM") return `LLM; the rules were unsure${c.unsure ? ", and so is the LLM" : ""}`;
  if (!c.unsure) return "rules";
  const f = decision.fallback;
  const note = f?.reason ? FALLBACK_NOTES[f.reason] : "LLM fallback: the LLM was no surer than the rules";
  return `rules, unsure; ${note}${f?.detail ? ` (${f.detail})` : ""}`;
}

/** Log fields of a decision: who decided, the fallback reason, and what the LLM cost (never the key). */
export function classificationLog(decision: ClassificationDecision): Record<string, unknown> {
  const { classification: c, fallback, llm } = decision;
  const out: Record<string, unknown> = { confidence: c.confidence, method: c.method };
  if (fallback) out.fallbackReason = fallback.reason ?? "LLMNotSurer";
  if (fallback?.detail) out.fallbackDetail = fallback.detail;
  if (llm)
    Object.assign(out, {
      model: llm.model,
      llmLatencyMs: llm.latencyMs,
      llmTokens: llm.promptTokens + llm.completionTokens,
    });
  return out;
}

/** Records the decided classification (type, target, confidence, method) once, with who decided. */
export function recordClassification(
  status: SreTaskStatus,
  task: SreTask,
  decision: ClassificationDecision,
  now: number,
): void {
  // Recorded once: a write retried on a fresher object that has one keeps it.
  if (status.classification) return;
  // `unsure` only steers the optional LLM fallback; it is not part of the status schema.
  const { unsure: _unsure, ...classification } = decision.classification;
  status.classification = classification;
  const what = classification.target
    ? `${classification.target.kind} ${classification.target.namespace ?? ""}/${classification.target.name}`
    : "no specific resource";
  const message = `${classification.type} about ${what} (confidence ${classification.confidence}, ${decidedBy(decision)})`;
  status.conditions = setCondition(
    status.conditions,
    {
      type: ConditionType.Classified,
      status: "True",
      reason: Reason.Classified,
      message: message.length <= LIMITS.message ? message : `${message.slice(0, LIMITS.message - 1)}…`,
      observedGeneration: task.metadata.generation,
    },
    now,
  );
}
