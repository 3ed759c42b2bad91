import type { DiagnosisResult } from "../../agents/diagnosis/types.ts";
import type { DiagnosisRunStatus } from "../../crds/index.ts";
import { LIMITS } from "../../crds/index.ts";
import { redactObject, redactText } from "../../redact/index.ts";

type StatusResult = Pick<
  DiagnosisRunStatus,
  "rootCause" | "findings" | "recommendations" | "runbooks" | "truncated" | "evidenceGaps"
>;

/**
 * Redacts secrets from a status string, then cuts it to max characters, marking the cut with an
 * ellipsis. Redacting first means a cut can never leave half a secret the rules no longer see.
 */
export function clip(text: string, max: number): string {
  const safe = redactText(text);
  return safe.length <= max ? safe : `${safe.slice(0, max - 1)}…`;
}

/**
 * Fits an engine result into the bounded DiagnosisRun status: secrets redacted, lists capped at LIMITS,
 * strings clipped, and `truncated` saying what was cut (the incident store keeps it all).
 */
export function boundedResult(unsafe: DiagnosisResult): StatusResult {
  const result = redactObject(unsafe);
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
  if (result.rootCause) {
    const { change, ...rootCause } = result.rootCause;
    out.rootCause = { ...rootCause, summary: clip(rootCause.summary, LIMITS.message) };
    if (change) out.rootCause.change = { ...change, what: clip(change.what, LIMITS.message) };
  }
  if (result.evidenceGaps?.length)
    out.evidenceGaps = result.evidenceGaps.slice(0, LIMITS.evidence).map((g) => clip(g, LIMITS.evidenceLine));
  if (result.runbooks?.length) {
    out.runbooks = result.runbooks
      .slice(0, LIMITS.runbooks)
      .map((r) => ({ name: r.name, title: r.title, score: (r as { score?: number }).score }));
  }
  return out;
}
