/**
 * What each DiagnosisRun status write records: the start of an attempt (`Running`), and the
 * completed diagnosis. Pure: the controller decides when to write.
 */
import type { DiagnosisRun, DiagnosisRunStatus } from "../../crds/index.ts";
import { ConditionType, DiagnosisRunPhase, LIMITS, Reason } from "../../crds/index.ts";
import { llmCondition } from "../../agents/diagnosis/llm/index.ts";
import type { DiagnosisResult } from "../../agents/diagnosis/types.ts";
import { formatTime, setCondition } from "../../runtime/index.ts";
import type { Consulted } from "./llm-step.ts";
import { boundedResult, clip } from "./result-status.ts";
import { applySimilar, type SimilarLookup } from "./similar-step.ts";

/** The phases after which a run is never diagnosed again. */
export const FINISHED: readonly string[] = [DiagnosisRunPhase.Completed, DiagnosisRunPhase.Failed];

/** True when the status shows the run Completed or Failed. */
export const isFinished = (s: DiagnosisRunStatus | undefined): boolean => FINISHED.includes(s?.phase ?? "");

/** Counts the attempts no write has counted yet (`unwritten`) and records the start. */
export function markStarted(
  s: DiagnosisRunStatus,
  run: DiagnosisRun,
  started: number,
  unwritten: number,
): void {
  s.attempts = (s.attempts ?? 0) + unwritten;
  s.observedGeneration = run.metadata.generation;
  s.startTime ??= formatTime(started);
}

/** Phase Running and Diagnosed Unknown for the attempt starting now, counted with the unwritten ones. */
export function markRunning(s: DiagnosisRunStatus, run: DiagnosisRun, now: number, unwritten: number): void {
  s.phase = DiagnosisRunPhase.Running;
  markStarted(s, run, now, unwritten + 1);
  const c = { type: ConditionType.Diagnosed, status: "Unknown" as const, reason: Reason.Diagnosing };
  s.conditions = setCondition(
    s.conditions,
    { ...c, message: "Diagnosing", observedGeneration: run.metadata.generation },
    now,
  );
}

/** The reason and message of a completed run, for its conditions and its Event. */
export function completionMessage(result: DiagnosisResult): { reason: string; message: string } {
  const root = result.rootCause;
  if (!root)
    return { reason: Reason.NothingWrong, message: "Nothing is wrong with the investigated resources" };
  const where = `${root.resource.kind} ${root.resource.namespace ?? ""}/${root.resource.name}`;
  return {
    reason: Reason.RootCauseFound,
    message: clip(`${root.category} on ${where}: ${root.summary}`, 1024),
  };
}

/** A completed diagnosis and the times of its attempt. */
export interface Completion {
  consulted: Consulted;
  similar: SimilarLookup | undefined;
  started: number;
  finished: number;
  /** Attempts no status write has counted yet, this one included when its Running write was skipped. */
  unwritten: number;
}

/** Writes the completed diagnosis into a status being updated: result, phase, times, conditions. */
export function markCompleted(s: DiagnosisRunStatus, run: DiagnosisRun, c: Completion): void {
  const { consulted, finished } = c;
  const { reason, message } = completionMessage(consulted.result);
  markStarted(s, run, c.started, c.unwritten);
  Object.assign(s, boundedResult(consulted.result));
  s.phase = DiagnosisRunPhase.Completed;
  s.message = message;
  s.completionTime = formatTime(finished);
  s.durationMs = finished - c.started;
  const { fallbackDetail: _detail, ...usage } = consulted.llm;
  s.llm = usage;
  if (consulted.explanation) s.explanation = clip(consulted.explanation, LIMITS.text);
  if (c.similar) applySimilar(s, c.similar);
  const gen = run.metadata.generation;
  s.conditions = setCondition(
    s.conditions,
    { ...llmCondition(consulted.llm), observedGeneration: gen },
    finished,
  );
  for (const type of [ConditionType.Diagnosed, ConditionType.Ready])
    s.conditions = setCondition(
      s.conditions,
      { type, status: "True", reason, message, observedGeneration: gen },
      finished,
    );
}
