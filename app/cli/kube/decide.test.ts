import { describe, expect, it } from "vitest";
import type { RemediationPlan } from "../../../crds/index.ts";
import { decisionPatch, refusal } from "./decide.ts";
import { en } from "./strings-en.ts";
import { zh } from "./strings-zh.ts";

const plan = (
  spec: Partial<RemediationPlan["spec"]> = {},
  status?: RemediationPlan["status"],
): RemediationPlan => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "RemediationPlan",
  metadata: { name: "scale-web", namespace: "shop", resourceVersion: "42" },
  spec: {
    steps: [
      {
        name: "scale",
        action: "ScaleWorkload",
        target: { kind: "Deployment", namespace: "shop", name: "web" },
      },
    ],
    ...spec,
  },
  ...(status ? { status } : {}),
});

describe("refusal", () => {
  it("lets a plan nobody decided be decided before or while it awaits approval", () => {
    for (const phase of [undefined, "Pending", "AwaitingApproval"] as const)
      expect(refusal(plan({}, phase ? { phase } : undefined), en)).toBeUndefined();
  });

  it("refuses a decided plan, naming who decided (a decision is final)", () => {
    const decided = plan({ approval: { decision: "Rejected", decidedBy: "bob" } }, { phase: "Rejected" });
    expect(refusal(decided, en)).toBe(
      "RemediationPlan shop/scale-web was already rejected by bob; a decision is final (create a new plan to decide again)",
    );
    expect(refusal(decided, zh)).toContain("已由 bob 拒绝");
  });

  it("refuses a plan policy approved, and one that finished", () => {
    const byPolicy = plan(
      {},
      {
        phase: "Running",
        approval: {
          decision: "Approved",
          decidedBy: "policy:auto",
          decidedAt: "2026-12-06T10:00:00Z",
          via: "Policy",
        },
      },
    );
    expect(refusal(byPolicy, en)).toContain("policy approved it");
    expect(refusal(plan({}, { phase: "Failed" }), en)).toBe(
      "RemediationPlan shop/scale-web is Failed: it can no longer be decided",
    );
  });
});

describe("decisionPatch", () => {
  it("names the caller in decidedBy and is conditional on the resourceVersion read", () => {
    expect(decisionPatch(plan(), "Approved", "alice", undefined)).toEqual({
      metadata: { resourceVersion: "42" },
      spec: { approval: { decision: "Approved", decidedBy: "alice" } },
    });
    expect(decisionPatch(plan(), "Rejected", "bob", "not now")).toEqual({
      metadata: { resourceVersion: "42" },
      spec: { approval: { decision: "Rejected", decidedBy: "bob", comment: "not now" } },
    });
  });
});
