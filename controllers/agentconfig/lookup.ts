/**
 * Which AgentConfig a task or run uses, and the LLM API key it names: shared by the
 * controllers so they all pick the same config. The key is returned to the caller only,
 * for the LLM client; it must never reach status, Events or logs.
 */
import type { V1Secret } from "@kubernetes/client-node";
import type { AgentConfig } from "../../crds/index.ts";
import { API_GROUP_VERSION } from "../../crds/index.ts";
import { AGENTCONFIG } from "../../crds/resources.ts";
import type { KubeClient, Manager } from "../../runtime/index.ts";

/** The Secret key holding the API key when `apiKeySecretRef.key` is not given. */
const DEFAULT_KEY = "apiKey";

/** Finds the AgentConfig `refName` (default `default`) in `namespace`, else the operator namespace's `default`. */
export async function findAgentConfig(
  client: KubeClient,
  namespace: string,
  refName: string | undefined,
  operatorNamespace: string,
): Promise<AgentConfig | undefined> {
  const get = (ns: string, name: string) =>
    client.getObject<AgentConfig>({
      apiVersion: API_GROUP_VERSION,
      kind: AGENTCONFIG.kind,
      metadata: { name, namespace: ns },
    });
  return (await get(namespace, refName ?? "default")) ?? (await get(operatorNamespace, "default"));
}

/**
 * The cluster policy: the AgentConfig `default` of the operator's namespace, which bounds the
 * remediation policy of every namespace (docs/adr/0006-cluster-policy.md); undefined when absent.
 */
export function findClusterPolicy(
  client: KubeClient,
  operatorNamespace: string,
): Promise<AgentConfig | undefined> {
  return client.getObject<AgentConfig>({
    apiVersion: API_GROUP_VERSION,
    kind: AGENTCONFIG.kind,
    metadata: { name: "default", namespace: operatorNamespace },
  });
}

/** Reads the LLM API key from the Secret `spec.llm.apiKeySecretRef` names; undefined when none is set. */
export async function llmApiKey(client: KubeClient, config: AgentConfig): Promise<string | undefined> {
  const ref = config.spec.llm?.apiKeySecretRef;
  if (!ref) return undefined;
  const secret = await client.getObject<V1Secret>({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: ref.name, namespace: config.metadata.namespace },
  });
  const value = secret?.data?.[ref.key ?? DEFAULT_KEY];
  return value ? Buffer.from(value, "base64").toString("utf8").trim() || undefined : undefined;
}

/** A Secret's data, decoded, from the AgentConfig's namespace; empty when the Secret is absent. */
export async function secretData(
  client: KubeClient,
  config: AgentConfig,
  name: string,
): Promise<Record<string, string>> {
  const secret = await client.getObject<V1Secret>({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace: config.metadata.namespace },
  });
  return Object.fromEntries(
    Object.entries(secret?.data ?? {}).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
  );
}

/** Reads AgentConfigs from a cache; `covers` says whether a namespace is in it. */
export interface AgentConfigCache {
  get(namespace: string, name: string): AgentConfig | undefined;
  covers(namespace: string): boolean;
}

/** The shared AgentConfig cache of a manager, covering every namespace or only the watched one. */
export function agentConfigCache(mgr: Manager, watchNamespace?: string): AgentConfigCache {
  const configs = mgr.informer<AgentConfig>(AGENTCONFIG, watchNamespace ? { namespace: watchNamespace } : {});
  return {
    get: (ns, name) => configs.get(ns, name),
    covers: (ns) => configs.hasSynced() && (!watchNamespace || ns === watchNamespace),
  };
}

/**
 * Finds the AgentConfig `refName` (default `default`) of a namespace, else the operator
 * namespace's `default` (as findAgentConfig), from the cache when it covers both namespaces
 * (two GETs otherwise, one answering 404 in most namespaces), else from the API.
 */
export async function lookupAgentConfig(
  client: KubeClient,
  at: { namespace: string; refName?: string; operatorNamespace: string },
  cache?: AgentConfigCache,
): Promise<AgentConfig | undefined> {
  const { namespace, refName, operatorNamespace } = at;
  if (cache?.covers(namespace) && cache.covers(operatorNamespace))
    return cache.get(namespace, refName ?? "default") ?? cache.get(operatorNamespace, "default");
  return findAgentConfig(client, namespace, refName, operatorNamespace);
}
