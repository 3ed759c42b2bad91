import { describe, expect, it } from "vitest";
import type { PolicyVerdict } from "../../agents/automation/policy.ts";
import type { RemediationPlan, RemediationPlanStatus } from "../../crds/index.ts";
import { recordPolicy } from "./plan-status.ts";

const plan: RemediationPlan = {
  apiVersion: "aisre.io/v1alpha1",
  kind: "RemediationPlan",
  metadata: { name: "p", namespace: "shop", generation: 1 },
  spec: {
    steps: [{ name: "a", action: "DeletePod", target: { kind: "Pod", namespace: "shop", name: "x" } }],
  },
};
const verdict = (violations: PolicyVerdict["violations"]): PolicyVerdict => ({
  allowed: violations.length === 0,
  violations,
  approvalRequired: true,
  approvalReasons: [],
  risk: "low",
});

describe("recordPolicy", () => {
  it("rejects on a rule violation, naming the rule in PolicyAllowed", () => {
    const s: RemediationPlanStatus = {};
    recordPolicy(
      s,
      plan,
      verdict([{ rule: "ActionNotEnabled", message: "step a: DeletePod is not enabled", retryable: false }]),
      0,
    );
    expect(s.phase).toBe("Rejected");
    expect(s.policy).toEqual({
      allowed: false,
      violations: ["ActionNotEnabled: step a: DeletePod is not enabled"],
    });
    expect(s.conditions?.find((c) => c.type === "PolicyAllowed")).toMatchObject({
      status: "False",
      reason: "PolicyDenied",
    });
    expect(s.conditions?.find((c) => c.type === "Ready")).toMatchObject({
      status: "False",
      reason: "PolicyDenied",
    });
  });

  it("defers (stays Pending) on a cooldown or concurrency limit", () => {
    const s: RemediationPlanStatus = {};
    recordPolicy(
      s,
      plan,
      verdict([{ rule: "CooldownActive", message: "cooldown ends in 30s", retryable: true }]),
      0,
    );
    expect(s.phase).toBe("Pending");
    expect(s.conditions?.find((c) => c.type === "PolicyAllowed")?.reason).toBe("CooldownActive");
  });

  it("records an allowed plan's risk", () => {
    const s: RemediationPlanStatus = {};
    recordPolicy(s, plan, verdict([]), 0);
    expect(s).toMatchObject({ risk: "low", policy: { allowed: true } });
    expect(s.phase).toBeUndefined();
  });
});
