import type { DiagnosisResult, Focus } from "../../agents/diagnosis/types.ts";
import type { ClusterView } from "../../agents/diagnosis/view.ts";
import {
  explainWithLLM,
  llmSettings,
  type LLMUsage,
  type LLMUsageSink,
} from "../../agents/diagnosis/llm/index.ts";
import type { AgentConfig, DiagnosisRun } from "../../crds/index.ts";
import { Reason } from "../../crds/index.ts";
import type { KubeClient } from "../../runtime/index.ts";
import { connectRemoteTools } from "../../agents/diagnosis/llm/mcp-tools.ts";
import type { McpServerSpec } from "../../agents/diagnosis/llm/mcp-tools.ts";
import type { AgentConfigCache } from "../agentconfig/lookup.ts";
import { llmApiKey, lookupAgentConfig, secretData } from "../agentconfig/lookup.ts";

/** The diagnosis after the optional LLM step, and what that step did. */
export interface Consulted {
  result: DiagnosisResult;
  explanation?: string;
  llm: LLMUsage;
}

const off = (reason: string): LLMUsage => ({
  used: false,
  promptTokens: 0,
  completionTokens: 0,
  latencyMs: 0,
  fallbackReason: reason as LLMUsage["fallbackReason"],
});

/** Finds the run's AgentConfig: its own namespace first, then the operator namespace's `default`. */
export function agentConfigFor(
  client: KubeClient,
  run: DiagnosisRun,
  operatorNamespace: string,
  cache?: AgentConfigCache,
): Promise<AgentConfig | undefined> {
  const at = {
    namespace: run.metadata.namespace ?? "",
    refName: run.spec.agentConfigRef?.name,
    operatorNamespace,
  };
  return lookupAgentConfig(client, at, cache);
}

/**
 * Consults the LLM when the AgentConfig enables one and the run allows it; otherwise, or
 * on any failure (timeout, 429, garbage), the deterministic result stands with a reason.
 * The API key is read here and handed only to the client; it never reaches status or logs.
 */
export async function consultLLM(
  client: KubeClient,
  input: {
    run: DiagnosisRun;
    view: ClusterView;
    result: DiagnosisResult;
    focus: Focus;
    config?: AgentConfig;
    /** The operator's namespace: its Runbooks are shared guidance the tools may read. */
    operatorNamespace?: string;
  },
  opts: { signal?: AbortSignal; metrics?: LLMUsageSink },
): Promise<Consulted> {
  const { run, config } = input;
  if (run.spec.useLLM === false || !config?.spec.llm?.enabled)
    return { result: input.result, llm: off(Reason.LLMDisabled) };
  const settings = llmSettings(config.spec.llm, await llmApiKey(client, config));
  if (!settings) return { result: input.result, llm: off(Reason.LLMUnavailable) };
  // The tools read the run's own namespace only (and the cluster objects it uses).
  const scope = {
    namespace: run.metadata.namespace ?? "",
    runbookNamespaces: input.operatorNamespace ? [input.operatorNamespace] : [],
  };
  // Remote MCP servers (spec.tools.mcpServers) join for this consultation only; write tools
  // count only in the cluster policy (the operator namespace's `default`).
  const clusterPolicy =
    config.metadata.name === "default" && config.metadata.namespace === input.operatorNamespace;
  const remoteTools = await connectRemoteTools(
    config.spec.tools?.mcpServers as McpServerSpec[] | undefined,
    (name) => secretData(client, config, name),
    clusterPolicy,
  ).catch(() => undefined); // an unreadable Secret or a failed connect: the model runs without them
  const { result, llm } = await explainWithLLM(input.view, input.result, settings, {
    focus: input.focus,
    scope,
    ...(remoteTools ? { remoteTools } : {}),
    ...opts,
  }).finally(() => remoteTools?.close());
  const { explanation, llmNotes: _notes, ...contract } = result;
  return explanation ? { result: contract, explanation, llm } : { result: contract, llm };
}
