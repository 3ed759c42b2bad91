// The real API server's answers are proven by test/e2e/diagnosis-v2-rbac.test.ts; this
// covers the parts the live test cannot reach (an allowed answer, a review that fails) with a
// stand-in at the raw client boundary only.
import { describe, expect, it } from "vitest";
import type { DiagnosisResult } from "../../agents/diagnosis/types.ts";
import { confirmRbac, reviewBody, type ReviewClient } from "./access-review.ts";

const LOG =
  'app (previous run): E1206 secrets is forbidden: User "system:serviceaccount:shop:api" cannot list resource "secrets" in API group "" in the namespace "shop"';

function result(): DiagnosisResult {
  return {
    rootCause: {
      category: "RBACForbidden",
      resource: { kind: "Deployment", namespace: "shop", name: "api" },
      summary: "refused",
      confidence: 0.9,
    },
    findings: [
      {
        category: "RBACForbidden",
        severity: "critical",
        resource: { kind: "Pod", namespace: "shop", name: "api-1" },
        message: "refused",
        evidence: [LOG, "missing permission: list secrets in namespace shop"],
      },
    ],
    recommendations: [],
  };
}

function client(answer: unknown, sent: unknown[] = []): ReviewClient {
  return {
    request: async <T>(_m: "POST", path: string, opts: { body: unknown }) => {
      sent.push({ path, body: opts.body });
      if (answer instanceof Error) throw answer;
      return answer as T;
    },
  };
}

describe("confirmRbac", () => {
  it("asks about the ServiceAccount's exact request, with its groups", () => {
    const sent: unknown[] = [];
    const r = result();
    return confirmRbac(client({ status: { allowed: false } }, sent), r).then(() => {
      expect(sent).toEqual([
        {
          path: "/apis/authorization.k8s.io/v1/subjectaccessreviews",
          body: reviewBody({
            namespace: "shop",
            serviceAccount: "api",
            verb: "list",
            resource: "secrets",
            group: "",
            scope: "shop",
          }),
        },
      ]);
      expect(
        (sent[0] as { body: { spec: { user: string; resourceAttributes: object } } }).body.spec,
      ).toMatchObject({
        user: "system:serviceaccount:shop:api",
        resourceAttributes: { verb: "list", resource: "secrets", group: "", namespace: "shop" },
      });
      expect(r.findings[0]!.evidence.at(-1)).toBe(
        "SubjectAccessReview: system:serviceaccount:shop:api cannot list secrets in shop (allowed=false)",
      );
      expect(r.rootCause!.confidence).toBe(0.9);
    });
  });

  it("says so and lowers the confidence when the request is allowed now", async () => {
    const r = result();
    await confirmRbac(
      client({ status: { allowed: true, reason: 'RBAC: allowed by RoleBinding "x/shop"' } }),
      r,
    );
    expect(r.findings[0]!.evidence.at(-1)).toMatch(/can list secrets in shop now \(allowed=true/);
    expect(r.rootCause!.confidence).toBe(0.45);
  });

  it("turns a failed review into an evidence gap and leaves other root causes alone", async () => {
    const r = result();
    await confirmRbac(client(Object.assign(new Error("forbidden"), { code: 403 })), r);
    expect(r.evidenceGaps?.[0]).toMatch(
      /SubjectAccessReview for system:serviceaccount:shop:api could not be made/,
    );
    const other = { ...result(), rootCause: { ...result().rootCause!, category: "CrashLoop" as const } };
    const sent: unknown[] = [];
    await confirmRbac(client({ status: { allowed: false } }, sent), other);
    expect(sent).toEqual([]);
  });
});
