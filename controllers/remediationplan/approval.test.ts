import { describe, expect, it } from "vitest";
import type { RemediationPlan } from "../../crds/index.ts";
import {
  approvalMove,
  approvalVoid,
  canonicalJson,
  decisionOrigin,
  namedDecider,
  specHash,
} from "./approval.ts";

const T0 = Date.parse("2026-01-01T00:00:00Z");
const plan = (extra: Partial<RemediationPlan> = {}): RemediationPlan => ({
  apiVersion: "aisre.io/v1alpha1",
  kind: "RemediationPlan",
  metadata: { name: "p", namespace: "shop", generation: 1 },
  spec: {
    steps: [
      { name: "undo", action: "RolloutUndo", target: { kind: "Deployment", namespace: "shop", name: "api" } },
    ],
  },
  ...extra,
});

describe("specHash", () => {
  it("ignores key order and changes with the steps", () => {
    expect(canonicalJson({ b: 1, a: [{ y: 2, x: 1 }] })).toBe('{"a":[{"x":1,"y":2}],"b":1}');
    const a = plan();
    const b = plan();
    b.spec.steps[0]!.params = { toRevision: 1 };
    expect(specHash(a)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(specHash(a)).toBe(specHash(plan()));
    expect(specHash(a)).not.toBe(specHash(b));
  });
});

describe("decisionOrigin", () => {
  it("names the channel from the field manager that set spec.approval, not the status writer", () => {
    const p = plan();
    p.metadata.managedFields = [
      {
        manager: "kubectl-client-side-apply",
        operation: "Update",
        fieldsV1: { "f:spec": { "f:steps": {} } },
      },
      {
        manager: "aisre-sidecar-rest",
        operation: "Update",
        time: new Date(T0),
        fieldsV1: { "f:spec": { "f:approval": {} } },
      },
      {
        manager: "aisre-sidecar-wecom",
        operation: "Update",
        subresource: "status",
        fieldsV1: { "f:spec": { "f:approval": {} } },
      },
    ];
    expect(decisionOrigin(p)).toEqual({ via: "REST", decidedAt: "2026-01-01T00:00:00.000Z" });
    p.metadata.managedFields[1]!.manager = "kubectl-patch";
    expect(decisionOrigin(p).via).toBe("Kubernetes");
    expect(decisionOrigin(plan())).toEqual({ via: "Kubernetes" });
  });
});

describe("namedDecider", () => {
  const decided = (decidedBy?: string) =>
    plan({
      spec: { ...plan().spec, approval: { decision: "Approved", ...(decidedBy ? { decidedBy } : {}) } },
    });
  it("is spec.approval.decidedBy, never a field manager or the policy's name", () => {
    expect(namedDecider(decided("li.na@corp"))).toBe("li.na@corp");
    expect(namedDecider(decided())).toBeUndefined();
    expect(namedDecider(decided("field-manager:security-team-lead"))).toBeUndefined();
    expect(namedDecider(decided("policy:default"))).toBeUndefined();
    expect(namedDecider(decided("  "))).toBeUndefined();
  });
});

describe("approvalMove", () => {
  it("waits until the TTL, then expires", () => {
    expect(approvalMove(plan(), T0, 60, T0 + 10_000)).toEqual({ kind: "wait", untilMs: T0 + 60_000 });
    expect(approvalMove(plan(), T0, 60, T0 + 60_000).kind).toBe("expired");
  });

  it("records the named decider with via, specHash and expiresAt", () => {
    const p = plan({ spec: { ...plan().spec, approval: { decision: "Approved", decidedBy: "alice" } } });
    const m = approvalMove(p, T0, 3600, T0 + 5000);
    expect(m).toMatchObject({
      kind: "decided",
      approval: {
        decision: "Approved",
        decidedBy: "alice",
        via: "Kubernetes",
        specHash: specHash(p),
        expiresAt: "2026-01-01T01:00:05Z",
      },
    });
  });

  it("never executes an approval without a named decider (the field-manager fallback is gone)", () => {
    const bare = plan({ spec: { ...plan().spec, approval: { decision: "Approved" } } });
    bare.metadata.managedFields = [
      { manager: "security-team-lead", operation: "Update", fieldsV1: { "f:spec": { "f:approval": {} } } },
    ];
    expect(approvalMove(bare, T0, 60, T0).kind).toBe("unattributed");
    const forged = plan({
      spec: { ...plan().spec, approval: { decision: "Approved", decidedBy: "field-manager:x" } },
    });
    expect(approvalMove(forged, T0, 60, T0).kind).toBe("unattributed");
  });

  it("ignores a decision written only to status (status.approval is the operator's record)", () => {
    const approval = {
      decision: "Approved" as const,
      decidedBy: "li.na",
      decidedAt: "2026-01-01T00:00:01Z",
      via: "WeCom" as const,
    };
    expect(approvalMove(plan({ status: { approval } }), T0, 60, T0 + 2000).kind).toBe("wait");
  });

  it("records a rejection, attributed or not", () => {
    const p = plan({ spec: { ...plan().spec, approval: { decision: "Rejected" } } });
    expect(approvalMove(p, T0, 60, T0)).toMatchObject({
      kind: "decided",
      approval: { decision: "Rejected", decidedBy: "unknown" },
    });
  });
});

describe("approvalVoid", () => {
  const approved = (specHashValue: string, expiresAt: string, decidedBy = "x") =>
    plan({
      spec: { ...plan().spec, approval: { decision: "Approved", decidedBy } },
      status: {
        approval: {
          decision: "Approved",
          decidedBy: "x",
          decidedAt: "2026-01-01T00:00:00Z",
          via: "REST",
          specHash: specHashValue,
          expiresAt,
        },
      },
    });
  it("accepts a current approval of this spec", () => {
    expect(approvalVoid(approved(specHash(plan()), "2026-01-01T01:00:00Z"), T0)).toBeUndefined();
  });
  it("voids an approval of another spec, or a lapsed one", () => {
    expect(approvalVoid(approved("sha256:other", "2026-01-01T01:00:00Z"), T0)?.reason).toBe(
      "SpecChangedAfterApproval",
    );
    expect(approvalVoid(approved(specHash(plan()), "2026-01-01T00:00:00Z"), T0)?.reason).toBe(
      "ApprovalExpired",
    );
    expect(approvalVoid(plan(), T0)?.reason).toBe("Rejected");
  });
  it("voids a person's approval that spec.approval does not carry (a status-only forgery)", () => {
    const hash = specHash(plan());
    expect(approvalVoid(approved(hash, "2026-01-01T01:00:00Z", "mallory"), T0)?.message).toContain(
      "does not match spec.approval",
    );
    const statusOnly = approved(hash, "2026-01-01T01:00:00Z");
    delete statusOnly.spec.approval;
    expect(approvalVoid(statusOnly, T0)?.reason).toBe("Rejected");
  });
  it("accepts the policy's own approval only for a plan nobody decided on", () => {
    const auto = plan({
      status: {
        approval: {
          decision: "Approved",
          decidedBy: "policy:default",
          decidedAt: "2026-01-01T00:00:00Z",
          via: "Policy",
          specHash: specHash(plan()),
          expiresAt: "2026-01-01T01:00:00Z",
        },
      },
    });
    expect(approvalVoid(auto, T0)).toBeUndefined();
    auto.spec.approval = { decision: "Rejected", decidedBy: "bob" };
    expect(approvalVoid(auto, T0)?.reason).toBe("Rejected");
  });
});
