/**
 * The approver list read from the AgentConfig on the Kubernetes API, on every decision: an
 * edit to spec.policy.approvers applies to the next message, and nothing stale is trusted.
 */
import type { AgentConfig } from "../../crds/index.ts";
import { isNotFound } from "../../kube/kube-api.ts";
import type { KubeClient } from "../../kube/kube-api.ts";
import { pathOf } from "../kube.ts";
import { AGENTCONFIG } from "../../crds/resources.ts";
import type { ApproverSource } from "./approvals.ts";

/** Reads spec.policy.approvers of the AgentConfig (undefined when it does not exist). */
export function kubeApprovers(client: KubeClient): ApproverSource {
  return async (namespace, name) => {
    try {
      const config = await client.request<AgentConfig>("GET", pathOf(AGENTCONFIG, namespace, name));
      return config.spec.policy?.approvers ?? [];
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
}
