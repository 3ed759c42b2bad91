import { describe, expect, it } from "vitest";
import type { AgentConfig } from "../../crds/index.ts";
import { agentView } from "./views.ts";

const config = (namespace: string, name: string, policy: Record<string, unknown>): AgentConfig =>
  ({
    apiVersion: "aisre.io/v1alpha1",
    kind: "AgentConfig",
    metadata: { namespace, name },
    spec: { policy },
  }) as AgentConfig;

describe("agentView", () => {
  it("shows the effective policy: the cluster policy narrowed by the namespace's", () => {
    const cluster = config("aisre-system", "default", {
      enabledActions: ["RolloutRestart", "RolloutUndo"],
      autoRemediation: true,
      maxAffectedPods: 5,
    });
    const shop = config("shop", "shop", {
      enabledActions: ["RolloutUndo", "ScaleWorkload"],
      autoRemediation: false,
      maxAffectedPods: 20,
    });
    const view = agentView(shop, false, cluster);
    expect(view.policy).toEqual(shop.spec.policy);
    expect(view.effectivePolicy).toMatchObject({
      automation: "on",
      autoRemediation: false,
      enabledActions: ["RolloutUndo"],
      maxAffectedPods: 5,
    });
    expect(view.effectivePolicy.from).toContain("aisre-system/default");
    expect(view.effectivePolicy.from).toContain("shop/shop");
  });

  it("falls back to the safe defaults without a cluster policy", () => {
    const view = agentView(config("shop", "shop", { autoRemediation: true }), true);
    expect(view.effectivePolicy.autoRemediation).toBe(false);
    expect(view.effectivePolicy.from).toContain("none: the safe defaults");
  });
});
