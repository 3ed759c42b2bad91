import { describe, expect, it } from "vitest";
import type { RemediationPlan } from "../../crds/index.ts";
import { approvalMove, approvalVoid, canonicalJson, kubernetesDecider, specHash } from "./approval.ts";

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

describe("kubernetesDecider", () => {
  it("names the field manager that set spec.approval, not the status writer", () => {
    const p = plan();
    p.metadata.managedFields = [
      {
        manager: "kubectl-client-side-apply",
        operation: "Update",
        fieldsV1: { "f:spec": { "f:steps": {} } },
      },
      {
        manager: "kubectl-patch",
        operation: "Update",
        time: new Date(T0),
        fieldsV1: { "f:spec": { "f:approval": {} } },
      },
      {
        manager: "aisre-sidecar",
        operation: "Update",
        subresource: "status",
        fieldsV1: { "f:spec": { "f:approval": {} } },
      },
    ];
    expect(kubernetesDecider(p)).toEqual({
      decidedBy: "field-manager:kubectl-patch",
      decidedAt: "2026-01-01T00:00:00.000Z",
    });
    expect(kubernetesDecider(plan()).decidedBy).toBe("field-manager:unknown");
  });
});

describe("approvalMove", () => {
  it("waits until the TTL, then expires", () => {
    expect(approvalMove(plan(), T0, 60, T0 + 10_000)).toEqual({ kind: "wait", untilMs: T0 + 60_000 });
    expect(approvalMove(plan(), T0, 60, T0 + 60_000).kind).toBe("expired");
  });

  it("records a kubectl decision with via Kubernetes, specHash and expiresAt", () => {
    const p = plan({ spec: { ...plan().spec, approval: { decision: "Approved" } } });
    const m = approvalMove(p, T0, 3600, T0 + 5000);
    expect(m).toMatchObject({
      kind: "decided",
      approval: {
        decision: "Approved",
        via: "Kubernetes",
        specHash: specHash(p),
        expiresAt: "2026-01-01T01:00:05Z",
      },
    });
  });

  it("keeps a REST/WeCom decision's identity and adds the hash", () => {
    const approval = {
      decision: "Approved" as const,
      decidedBy: "li.na",
      decidedAt: "2026-01-01T00:00:01Z",
      via: "WeCom" as const,
    };
    const p = plan({ spec: { ...plan().spec, approval: { decision: "Approved" } }, status: { approval } });
    const m = approvalMove(p, T0, 60, T0 + 2000);
    expect(m).toMatchObject({
      kind: "decided",
      approval: { ...approval, specHash: specHash(p), expiresAt: "2026-01-01T00:01:01Z" },
    });
  });

  it("records a rejection", () => {
    const p = plan({ spec: { ...plan().spec, approval: { decision: "Rejected" } } });
    expect(approvalMove(p, T0, 60, T0)).toMatchObject({
      kind: "decided",
      approval: { decision: "Rejected" },
    });
  });
});

describe("approvalVoid", () => {
  const approved = (specHashValue: string, expiresAt: string) =>
    plan({
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
});
