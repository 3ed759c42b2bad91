/**
 * Incident memory for a completed DiagnosisRun: looks up similar past incidents in the incident
 * store (same alert, same category on the same workload, similar log/evidence signature) and
 * shows "seen 3 times in 30 days; last resolved by RolloutUndo, verified" in status.history and
 * as an Event on the run and its SreTask. A store error never fails the diagnosis: it becomes an
 * evidence gap.
 */
import type { KubernetesObject } from "@kubernetes/client-node";
import type { Logger } from "pino";
import type { DiagnosisResult } from "../../agents/diagnosis/types.ts";
import type { DiagnosisRun, DiagnosisRunStatus } from "../../crds/index.ts";
import { LIMITS, Reason } from "../../crds/index.ts";
import { DIAGNOSISRUN } from "../../crds/resources.ts";
import type { Manager } from "../../runtime/index.ts";
import { formatTime, getControllerOf } from "../../runtime/index.ts";
import {
  incidentHistory,
  type IncidentHistory,
  type Queryable,
  type SimilarKeys,
} from "../../store/index.ts";
import { clip } from "./result-status.ts";
import { historySummary } from "./similar-text.ts";

/** Where past incidents are looked up (the operator's incident store). */
export type IncidentStore = Queryable;

/** The window "seen N times in D days" counts. */
export const HISTORY_DAYS = 30;
/** The Event reason when a diagnosis was seen before. */
export const SEEN_BEFORE = "SeenBefore";

type StatusHistory = NonNullable<DiagnosisRunStatus["history"]>;

/** What to compare with: the run's alert and root cause, its words as the diagnosis says them. */
export function similarKeys(run: DiagnosisRun, result: DiagnosisResult): SimilarKeys | undefined {
  const root = result.rootCause;
  if (!root) return undefined;
  // The incident row keeps the task's target (the workload); the root cause may be a pod of it.
  const target = run.spec.target ?? root.resource;
  // The same words the store's signature trigger reads: root cause, then the first findings.
  const text = [root.summary, ...result.findings.slice(0, 3).flatMap((f) => [f.message, ...f.evidence])].join(
    " ",
  );
  return {
    taskUid: getControllerOf(run)?.uid ?? null,
    fingerprint: run.spec.alert?.fingerprint ?? null,
    category: root.category,
    namespace: target.namespace ?? run.metadata.namespace ?? null,
    target: { kind: target.kind, name: target.name, namespace: target.namespace },
    text,
  };
}

/** The status form of a history. */
export function statusHistory(h: IncidentHistory): StatusHistory {
  const out: StatusHistory = { seen: h.seen, days: h.days, summary: clip(historySummary(h), 512) };
  const last = h.last;
  if (!last) return out;
  out.last = { incident: last.incidentId, at: formatTime(last.openedAt.getTime()), match: last.match };
  out.last.task = clip(`${last.taskNamespace}/${last.taskName}`, LIMITS.name * 2 + 1);
  if (last.similarity !== null) out.last.similarity = last.similarity;
  if (last.action) out.last.action = clip(last.action, 128);
  if (last.outcome) out.last.outcome = last.outcome;
  return out;
}

/** The run's SreTask as an Event's involved object, from its controller reference. */
function taskOf(run: DiagnosisRun): KubernetesObject | undefined {
  const owner = getControllerOf(run);
  if (!owner) return undefined;
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    metadata: { name: owner.name, uid: owner.uid, namespace: run.metadata.namespace },
  };
}

/** What the incident store said about a completed run: its history, or why it could not say. */
export interface SimilarLookup {
  history?: IncidentHistory;
  /** The evidence gap when the store could not be read. */
  gap?: string;
}

/** Looks up similar past incidents of a run's result; undefined without a store or a root cause. Never throws. */
export async function lookupSimilar(
  run: DiagnosisRun,
  result: DiagnosisResult,
  store: Queryable | undefined,
): Promise<SimilarLookup | undefined> {
  const keys = store ? similarKeys(run, result) : undefined;
  if (!store || !keys) return undefined;
  try {
    return { history: await incidentHistory(store, keys, { days: HISTORY_DAYS }) };
  } catch (err) {
    const why = (err as Error).message;
    return { gap: clip(`incident store: similar incidents not looked up (${why})`, LIMITS.evidenceLine) };
  }
}

/** Writes a lookup into a run's status: status.history, or the gap among status.evidenceGaps. */
export function applySimilar(s: DiagnosisRunStatus, found: SimilarLookup): void {
  if (found.history) s.history = statusHistory(found.history);
  const gap = found.gap;
  if (!gap || s.evidenceGaps?.includes(gap) || (s.evidenceGaps?.length ?? 0) >= LIMITS.evidence) return;
  s.evidenceGaps = [...(s.evidenceGaps ?? []), gap];
}

/**
 * Logs a lookup written into the run's status, with one SeenBefore Event (on the SreTask the user
 * watches, else on the run) or an EvidenceGap one. In an alert storm every task is seen before:
 * one Event a task, not two (each is an API write); the run carries it in status.history.
 */
export async function announceSimilar(
  mgr: Manager,
  run: DiagnosisRun,
  found: SimilarLookup,
  logger: Logger,
): Promise<void> {
  const at = `${run.metadata.namespace}/${run.metadata.name}`;
  if (found.gap) {
    logger.warn({ run: at, err: found.gap }, "Skipped similar incidents");
    return mgr.recorder.warning(run, Reason.EvidenceGap, found.gap);
  }
  const history = found.history;
  if (!history) return;
  logger.info({ run: at, seen: history.seen, days: history.days }, "Looked up similar incidents");
  if (history.seen === 0) return;
  const message = clip(`${statusHistory(history).summary} / ${historySummary(history, "zh")}`, 1024);
  await mgr.recorder.normal(taskOf(run) ?? run, SEEN_BEFORE, message);
}

/**
 * Looks up similar past incidents for a completed run and writes status.history (and, when it
 * was seen before, a SeenBefore Event on its SreTask) in a write of its own. The
 * DiagnosisRun controller instead puts the lookup into its completing write. Never throws.
 */
export async function recallSimilarIncidents(
  mgr: Manager,
  run: DiagnosisRun,
  result: DiagnosisResult,
  store: Queryable | undefined,
  logger: Logger,
): Promise<void> {
  const found = await lookupSimilar(run, result, store);
  if (!found) return;
  try {
    const { obj } = await mgr.statusWriter.update(DIAGNOSISRUN, run, (s) => applySimilar(s, found));
    await announceSimilar(mgr, obj, found, logger);
  } catch (err) {
    // The diagnosis is already written; its memory is a bonus that must not fail it.
    logger.warn(
      { run: `${run.metadata.namespace}/${run.metadata.name}`, err },
      "Failed to show similar incidents",
    );
  }
}
