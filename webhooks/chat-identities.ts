/**
 * The Kubernetes identity of a WeCom user, from cluster policy only: spec.policy.chatIdentities of
 * the AgentConfig named default in the operator's namespace (AISRE_NAMESPACE). A namespace's own
 * AgentConfig cannot map anyone. Read on every decision, so an edit applies to the next message.
 */
import type { AgentConfig } from "../crds/index.ts";
import { AGENTCONFIG } from "../crds/resources.ts";
import type { KubeClient } from "../kube/kube-api.ts";
import { isNotFound } from "../kube/kube-api.ts";
import { pathOf } from "./kube.ts";

/** The AgentConfig that holds cluster policy in the operator's namespace. */
export const CLUSTER_POLICY_NAME = "default";

/** One mapping of AgentConfig spec.policy.chatIdentities. */
export interface ChatIdentity {
  wecomUserId: string;
  kubernetesUser: string;
  groups?: string[];
}

/** The mapped identity of wecomUserId, or undefined when cluster policy maps it to nobody. */
export async function chatIdentityOf(
  client: KubeClient,
  operatorNamespace: string,
  wecomUserId: string,
): Promise<ChatIdentity | undefined> {
  let config: AgentConfig;
  try {
    config = await client.request<AgentConfig>(
      "GET",
      pathOf(AGENTCONFIG, operatorNamespace, CLUSTER_POLICY_NAME),
    );
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  const identities = (config.spec.policy as { chatIdentities?: ChatIdentity[] } | undefined)?.chatIdentities;
  return identities?.find((i) => i.wecomUserId === wecomUserId);
}
