/**
 * The first step of a new task (or a new episode) in one status write: accepted, classified
 * by the rules and diagnosing, with its DiagnosisRun created just before. Three writes (and
 * three trips through the watch) became one, because the API server's write rate bounds how
 * many tasks a second the operator can diagnose (docs/scaling.md). Only a task whose rules
 * are unsure while its AgentConfig enables an LLM still takes the steps one by one: the LLM
 * may take seconds, and the task shows Accepted meanwhile.
 */
import type { TaskClassification } from "../../agents/classifier/index.ts";
import type { SreTask, SreTaskStatus } from "../../crds/index.ts";
import { SreTaskPhase } from "../../crds/index.ts";
import type { Acceptance } from "./accept.ts";
import { recordAcceptance } from "./accept.ts";
import type { ClassificationDecision } from "./classify.ts";
import { recordClassification } from "./classify.ts";
import { recordDiagnosing } from "./diagnosis.ts";

/**
 * True when the task can start in one write: it was never accepted in this episode (no phase
 * yet, or Pending after a reopen), has no classification, and the rules decide alone (they are
 * sure, or no LLM is enabled to ask).
 */
export function startsInOneWrite(task: SreTask, rules: TaskClassification, llmEnabled: boolean): boolean {
  const phase = task.status?.phase;
  if (phase !== undefined && phase !== SreTaskPhase.Pending) return false;
  if (task.status?.classification || task.status?.diagnosisRunRef) return false;
  return !rules.unsure || !llmEnabled;
}

/** Records acceptance, classification and the DiagnosisRun under way, in that order (each step's own rules apply). */
export function recordStart(
  status: SreTaskStatus,
  task: SreTask,
  verdict: Acceptance & { accepted: true },
  decision: ClassificationDecision,
  now: number,
): void {
  recordAcceptance(status, task, verdict, now);
  recordClassification(status, task, decision, now);
  recordDiagnosing(status, task, now);
}

/** The task as it will read once started: what names and targets its DiagnosisRun. */
export function startedView(
  task: SreTask,
  verdict: Acceptance & { accepted: true },
  decision: ClassificationDecision,
  now: number,
): SreTask {
  const status = structuredClone(task.status ?? {});
  recordAcceptance(status, task, verdict, now);
  recordClassification(status, task, decision, now);
  return { ...task, status };
}
