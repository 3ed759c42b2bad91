/**
 * When a DiagnosisRun ends Failed instead of retrying: its target does not exist, or the
 * engine failed on every one of a bounded number of attempts. A level-based controller would
 * otherwise requeue such a run forever and its SreTask would never finish.
 */
import type { LIVE_KINDS } from "../../agents/diagnosis/live/kinds.ts";
import type { Focus } from "../../agents/diagnosis/types.ts";
import type { ClusterView } from "../../agents/diagnosis/view.ts";
import type { DiagnosisRun, DiagnosisRunStatus } from "../../crds/index.ts";
import { ConditionType, DiagnosisRunPhase, Reason } from "../../crds/index.ts";
import { formatTime, setCondition } from "../../runtime/index.ts";

/** Engine starts per run before it ends Failed (the workqueue backs off between them). */
export const MAX_DIAGNOSIS_ATTEMPTS = 5;

/** Why a run ended Failed, for status, the Event and the SreTask. */
export interface RunFailure {
  reason: typeof Reason.TargetNotFound | typeof Reason.DiagnosisFailed;
  message: string;
}

/** The failure when the run's explicit target is of a kind the live view reads and is absent. */
export function missingTarget(
  view: ClusterView,
  focus: Focus,
  kinds: typeof LIVE_KINDS,
): RunFailure | undefined {
  const t = focus.target;
  const known = t && kinds.find((k) => k.kind === t.kind);
  if (!t || !known) return undefined;
  const ns = known.namespaced ? t.namespace : "";
  if (view.get(t.kind, ns, t.name)) return undefined;
  const where = ns ? `${ns}/${t.name}` : t.name;
  return { reason: Reason.TargetNotFound, message: `${t.kind} ${where} does not exist` };
}

/** The failure after the engine threw on the last allowed attempt, else undefined (retry). */
export function exhaustedAttempts(attempts: number, err: unknown): RunFailure | undefined {
  if (attempts < MAX_DIAGNOSIS_ATTEMPTS) return undefined;
  const why = err instanceof Error ? err.message : String(err);
  return {
    reason: Reason.DiagnosisFailed,
    message: `The diagnosis failed ${attempts} times; last error: ${why}`,
  };
}

/** Writes phase Failed with Diagnosed and Ready False into a status being updated. */
export function markFailed(s: DiagnosisRunStatus, run: DiagnosisRun, failure: RunFailure, now: number): void {
  const gen = run.metadata.generation;
  s.phase = DiagnosisRunPhase.Failed;
  s.message = failure.message;
  s.completionTime = formatTime(now);
  for (const type of [ConditionType.Diagnosed, ConditionType.Ready]) {
    s.conditions = setCondition(
      s.conditions,
      { type, status: "False", reason: failure.reason, message: failure.message, observedGeneration: gen },
      now,
    );
  }
}
