import { describe, expect, it } from "vitest";
import type { AgentConfig } from "../../crds/index.ts";
import { recordPolicyScope } from "./policy-scope.ts";
import type { ConfigStatus } from "./validity.ts";

const config = (
  namespace: string,
  name: string,
  policy: AgentConfig["spec"]["policy"] = {},
): AgentConfig => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "AgentConfig",
  metadata: { namespace, name, generation: 3 },
  spec: { policy },
});
const scope = (c: AgentConfig) => {
  const s: ConfigStatus = {};
  recordPolicyScope(s, c, "aisre-system", 0);
  return s.conditions?.find((x) => x.type === "PolicyScope");
};
const grants = { clusterGrants: [{ namespaces: ["*"], actions: ["DrainNode" as const] }] };

describe("recordPolicyScope", () => {
  it("marks the default AgentConfig of the operator's namespace as the cluster policy", () => {
    expect(scope(config("aisre-system", "default", grants))).toMatchObject({
      status: "True",
      reason: "ClusterPolicy",
      observedGeneration: 3,
    });
  });

  it("marks any other AgentConfig as a namespace policy, False when it sets cluster-only fields", () => {
    expect(scope(config("team-a", "default"))).toMatchObject({ status: "True", reason: "NamespacePolicy" });
    expect(scope(config("aisre-system", "other", grants))).toMatchObject({
      status: "False",
      reason: "ClusterFieldsIgnored",
      message:
        "spec.policy.clusterGrants ignored: only the cluster policy (AgentConfig default of aisre-system) grants that",
    });
    expect(scope(config("team-a", "default", grants))?.reason).toBe("ClusterFieldsIgnored");
  });
});
