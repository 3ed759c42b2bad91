/** The text report of a diagnosis for a person: root cause, evidence, actions. */
import { showRef } from "./refs.ts";
import type { DiagnosisResult } from "./types.ts";

const CODES = { bold: "1", red: "31", yellow: "33", green: "32", cyan: "36" } as const;
type Paint = (code: keyof typeof CODES, s: string) => string;

function header(r: DiagnosisResult, c: Paint): string[] {
  const rc = r.rootCause;
  if (!rc) return [c("green", "No problem found: nothing is failing in this snapshot.")];
  const lines = [
    `${c("bold", "Root cause:")} ${c("red", rc.category)} on ${c("bold", showRef(rc.resource))} (confidence ${rc.confidence})`,
    `  ${rc.summary}`,
  ];
  if (rc.change)
    lines.splice(
      1,
      0,
      `  ${c("yellow", "Since")} ${showRef(rc.change)} changed at ${rc.change.at}: ${rc.change.what}`,
    );
  if (r.impact) lines.push(`  ${c("bold", "Impact:")} ${r.impact.summary}`);
  const root = r.findings[0];
  if (root) lines.push("", c("bold", "Evidence:"), ...root.evidence.map((e) => `  - ${e}`));
  return lines;
}

function others(r: DiagnosisResult, c: Paint): string[] {
  const rest = r.findings.slice(r.rootCause ? 1 : 0).filter((f) => f.severity !== "info");
  if (rest.length === 0) return [];
  return [
    "",
    c("bold", "Other findings:"),
    ...rest
      .slice(0, 10)
      .map(
        (f) =>
          `  - [${c(f.severity === "critical" ? "red" : "yellow", f.severity)}] ${f.category} ${showRef(f.resource)}: ${f.message}`,
      ),
  ];
}

function actions(r: DiagnosisResult, c: Paint): string[] {
  if (r.recommendations.length === 0) return [];
  return [
    "",
    c("bold", "Recommended actions:"),
    ...r.recommendations.map((a) => {
      const params = Object.keys(a.params).length > 0 ? ` ${JSON.stringify(a.params)}` : "";
      return `  - ${c("cyan", a.action)} ${showRef(a.target)}${params} (risk ${a.risk}): ${a.rationale}`;
    }),
  ];
}

function gaps(r: DiagnosisResult, c: Paint): string[] {
  if (!r.evidenceGaps?.length) return [];
  return ["", c("yellow", "Not checked:"), ...r.evidenceGaps.map((g) => `  - ${g}`)];
}

function runbooks(r: DiagnosisResult, c: Paint): string[] {
  if (!r.runbooks?.length) return [];
  return [
    "",
    c("bold", "Runbooks:"),
    ...r.runbooks.map(
      (rb) =>
        `  - ${rb.namespace}/${rb.name}${rb.title ? ` (${rb.title})` : ""}: matched on ${rb.matchedOn.join(", ")}`,
    ),
  ];
}

/** Renders a diagnosis as text; colour only when asked (TTY without NO_COLOR). */
export function renderText(r: DiagnosisResult, colour: boolean): string {
  const c: Paint = (code, s) => (colour ? `\u001b[${CODES[code]}m${s}\u001b[0m` : s);
  return [...header(r, c), ...others(r, c), ...actions(r, c), ...runbooks(r, c), ...gaps(r, c)].join("\n");
}
