/**
 * The PolicyScope condition of an AgentConfig: the `default` of the operator's namespace is the
 * cluster policy; any other only narrows it, and cluster-only fields it sets are ignored, said
 * here so nobody relies on them (docs/adr/0006-cluster-policy.md).
 */
import { ignoredClusterFields } from "../../agents/automation/policy-merge.ts";
import type { AgentConfig } from "../../crds/index.ts";
import { ConditionType, Reason } from "../../crds/index.ts";
import { setCondition } from "../../runtime/index.ts";
import type { ConfigStatus } from "./validity.ts";

/** Records whether the AgentConfig is the cluster policy or a namespace's, and what of it is ignored. */
export function recordPolicyScope(
  status: ConfigStatus,
  config: AgentConfig,
  operatorNamespace: string,
  now: number,
): void {
  const cluster = `AgentConfig default of ${operatorNamespace}`;
  const isCluster = config.metadata.namespace === operatorNamespace && config.metadata.name === "default";
  const ignored = isCluster ? [] : ignoredClusterFields(config.spec);
  const [state, reason, message] = isCluster
    ? ([
        "True",
        Reason.ClusterPolicy,
        "the cluster policy: it bounds the remediation policy of every namespace",
      ] as const)
    : ignored.length > 0
      ? ([
          "False",
          Reason.ClusterFieldsIgnored,
          `${ignored.join(", ")} ignored: only the cluster policy (${cluster}) grants that`,
        ] as const)
      : ([
          "True",
          Reason.NamespacePolicy,
          `narrows the cluster policy (${cluster}); it cannot widen it`,
        ] as const);
  status.conditions = setCondition(
    status.conditions,
    {
      type: ConditionType.PolicyScope,
      status: state,
      reason,
      message,
      observedGeneration: config.metadata.generation,
    },
    now,
  );
}
