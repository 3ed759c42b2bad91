import type { DiagnosisResult } from "../../agents/diagnosis/types.ts";
import type { DiagnosisRunStatus } from "../../crds/index.ts";
import { LIMITS } from "../../crds/index.ts";

type StatusResult = Pick<
  DiagnosisRunStatus,
  "rootCause" | "findings" | "recommendations" | "runbooks" | "truncated" | "evidenceGaps"
>;

/** Cuts a string to max characters, marking the cut with an ellipsis. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Fits an engine result into the bounded DiagnosisRun status: lists capped at LIMITS,
 * strings clipped, and `truncated` saying what was cut (the incident store keeps it all).
 */
export function boundedResult(result: DiagnosisResult): StatusResult {
  let evidenceCut = false;
  const findings = result.findings.slice(0, LIMITS.findings).map((f) => {
    const evidence = f.evidence.slice(0, LIMITS.evidence).map((e) => clip(e, LIMITS.evidenceLine));
    if (f.evidence.length > LIMITS.evidence || f.evidence.some((e) => e.length > LIMITS.evidenceLine)) {
      evidenceCut = true;
    }
    return { ...f, message: clip(f.message, LIMITS.message), evidence };
  });
  const recommendations = result.recommendations
    .slice(0, LIMITS.recommendations)
    .map((r) => ({ ...r, rationale: clip(r.rationale, LIMITS.message) }));
  const out: StatusResult = {
    findings,
    recommendations,
    truncated: {
      findings: result.findings.length > LIMITS.findings,
      recommendations: result.recommendations.length > LIMITS.recommendations,
      evidence: evidenceCut,
    },
  };
  if (result.rootCause)
    out.rootCause = { ...result.rootCause, summary: clip(result.rootCause.summary, LIMITS.message) };
  if (result.evidenceGaps?.length)
    out.evidenceGaps = result.evidenceGaps.slice(0, LIMITS.evidence).map((g) => clip(g, LIMITS.evidenceLine));
  if (result.runbooks?.length) {
    out.runbooks = result.runbooks.slice(0, LIMITS.runbooks).map((r) => ({ name: r.name, title: r.title }));
  }
  return out;
}
