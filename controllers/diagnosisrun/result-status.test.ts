import { describe, expect, it } from "vitest";
import type { DiagnosisResult, Finding } from "../../agents/diagnosis/types.ts";
import { LIMITS } from "../../crds/index.ts";
import { boundedResult, clip } from "./result-status.ts";

const finding = (i: number, evidence = ["a=1"]): Finding => ({
  category: "CrashLoop",
  severity: "critical",
  resource: { kind: "Pod", namespace: "shop", name: `p-${i}` },
  message: `pod ${i} crashes`,
  evidence,
});

describe("boundedResult", () => {
  it("keeps a small result whole and says nothing was cut", () => {
    const result: DiagnosisResult = { rootCause: null, findings: [finding(1)], recommendations: [] };
    const out = boundedResult(result);
    expect(out.findings).toHaveLength(1);
    expect(out.truncated).toEqual({ findings: false, recommendations: false, evidence: false });
    expect(out.rootCause).toBeUndefined();
  });

  it("caps findings and evidence at the CRD limits and flags the cut", () => {
    const many = Array.from({ length: LIMITS.findings + 7 }, (_, i) =>
      finding(
        i,
        Array.from({ length: LIMITS.evidence + 3 }, (_, j) => `line ${j}`),
      ),
    );
    const out = boundedResult({ rootCause: null, findings: many, recommendations: [] });
    expect(out.findings).toHaveLength(LIMITS.findings);
    expect(out.findings?.[0]?.evidence).toHaveLength(LIMITS.evidence);
    expect(out.truncated).toMatchObject({ findings: true, evidence: true });
  });

  it("clips long strings with an ellipsis", () => {
    expect(clip("abcdef", 4)).toBe("abc…");
    const summary = "x".repeat(LIMITS.message + 50);
    const out = boundedResult({
      rootCause: {
        category: "OOMKilled",
        resource: { kind: "Deployment", namespace: "a", name: "b" },
        summary,
        confidence: 0.9,
      },
      findings: [],
      recommendations: [],
    });
    expect(out.rootCause?.summary).toHaveLength(LIMITS.message);
  });
});
