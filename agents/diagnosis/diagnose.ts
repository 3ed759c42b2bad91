/**
 * The diagnosis entry point, shared by `aisre diagnose --snapshot` and the live
 * operator: analyzers → dependency walk → root cause, summary, confidence,
 * catalog recommendations and matching runbooks. Pure: no I/O.
 */
import { factsOf, runAnalyzers } from "./analyzers/registry.ts";
import { findChange } from "./change/index.ts";
import type { ChangeRecord } from "./change/types.ts";
import { impactOf } from "./dependencies/impact.ts";
import type { Fault } from "./fault.ts";
import { severityRank, toFinding } from "./fault.ts";
import { resolveFocus } from "./focus.ts";
import type { MetricEvidence, Thresholds } from "./metrics/index.ts";
import { absorbSymptoms, analyzeMetrics } from "./metrics/index.ts";
import { capacityDiagnosis } from "./capacity-evidence.ts";
import { withMonitorEvidence } from "./monitor-evidence.ts";
import { recommend } from "./recommend.ts";
import { publicRef, refKey } from "./refs.ts";
import { rolloutContext } from "./rollout-context.ts";
import { rolloutRegressionFaults } from "./rollout-evidence.ts";
import type { Ranked } from "./rootcause.ts";
import { rankRootCause } from "./rootcause.ts";
import { matchRunbooks } from "./runbooks.ts";
import { summarize } from "./summary.ts";
import type { DiagnosisResult, Focus, ResourceRef, RootCause } from "./types.ts";
import type { ClusterView } from "./view.ts";
import { redactObject } from "../../redact/index.ts";

const MAX_FINDINGS = 30;

function confidence(ranked: Ranked): number {
  const root = ranked.root!;
  let c = 0.45 + 0.5 * root.strength;
  const rival = ranked.others[0];
  if (
    rival &&
    severityRank(rival.severity) === severityRank(root.severity) &&
    rival.category !== root.category
  )
    c -= 0.1;
  c += factsOf(root.category).confidence ?? 0;
  return Math.round(Math.max(0.2, Math.min(0.98, c)) * 100) / 100;
}

function orderFindings(root: Fault | undefined, ranked: Ranked, faults: Fault[]): Fault[] {
  const first: Fault[] = [];
  if (root) {
    first.push(root);
    first.push(
      ...faults.filter((f) => f !== root && f.absorbedBy && refKey(f.subject) === refKey(root.subject)),
    );
  }
  const rest = faults
    .filter((f) => !first.includes(f))
    .sort((a, b) => {
      const ia = ranked.others.indexOf(a);
      const ib = ranked.others.indexOf(b);
      return severityRank(b.severity) - severityRank(a.severity) || (ia < 0 ? 1e9 : ia) - (ib < 0 ? 1e9 : ib);
    });
  return [...first, ...rest].slice(0, MAX_FINDINGS);
}

/** What the engine reads besides the view: metric evidence fetched beforehand (live mode). */
export interface DiagnoseOptions {
  metrics?: MetricEvidence;
  thresholds?: Partial<Thresholds>;
  /** The live operator's change journal (changes managedFields no longer show). */
  changes?: ChangeRecord[];
}

function allFaults(view: ClusterView, opts: DiagnoseOptions): Fault[] {
  const faults = runAnalyzers(view);
  if (!opts.metrics) return faults;
  faults.push(...analyzeMetrics(view, opts.metrics, opts.thresholds));
  absorbSymptoms(faults);
  return faults;
}

/**
 * Diagnoses a cluster view, starting from the alert or target when given. The result is
 * redacted: evidence quotes logs, events and object fields, and none of it may carry a secret.
 */
export function diagnose(view: ClusterView, focus: Focus = {}, opts: DiagnoseOptions = {}): DiagnosisResult {
  return redactObject(diagnoseView(view, focus, opts));
}

function diagnoseView(view: ClusterView, focus: Focus, opts: DiagnoseOptions): DiagnosisResult {
  const gaps = opts.metrics?.gaps.length ? { evidenceGaps: opts.metrics.gaps } : {};
  const faults = allFaults(view, opts);
  faults.push(...rolloutRegressionFaults(view, focus, faults));
  const ranked = rankRootCause(view, faults, resolveFocus(view, focus));
  const root = ranked.root;
  const findings = withMonitorEvidence(view, focus, orderFindings(root, ranked, faults).map(toFinding));
  const capacity = capacityDiagnosis(view, focus, findings);
  if (capacity) return { ...capacity, ...gaps };
  if (!root) return { rootCause: null, findings, recommendations: [], ...gaps };
  const ctx = rolloutContext(view, root.subject);
  const rootCause: RootCause = {
    category: root.category,
    resource: publicRef(root.subject),
    summary: summarize(root, ctx),
    confidence: confidence(ranked),
  };
  const change = findChange(view, root, faults, opts.changes);
  if (change) rootCause.change = change;
  const recommendations = recommend(root, ctx).map((r) => ({
    ...r,
    target: publicRef(r.target as ResourceRef),
  }));
  const result: DiagnosisResult = { rootCause, findings, recommendations };
  const impact = impactOf(view, root, faults);
  if (impact) result.impact = impact;
  // The engine's own words rank runbooks by text too (a runbook quoting "connection refused").
  const words = [rootCause.summary, ...findings.slice(0, 3).flatMap((f) => [f.message, ...f.evidence])];
  const runbooks = matchRunbooks(view, root.category, focus.alert, words);
  if (runbooks.length > 0) result.runbooks = runbooks;
  return { ...result, ...gaps };
}
