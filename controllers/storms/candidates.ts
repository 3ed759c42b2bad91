/**
 * Tasks as storm candidates: an alert task whose current diagnosis has a root cause with a
 * grouping key (agents/storms/key.ts). The dependency comes from its DiagnosisRun's impact.
 */
import type { DiagnosisRun, SreTask } from "../../crds/index.ts";
import type { StormCandidate } from "../../agents/storms/index.ts";
import { groupingKey } from "../../agents/storms/index.ts";
import { isAlertTask, taskStart } from "./settings.ts";

/** The candidate a task makes, or undefined when it cannot group (no alert, no root cause, no key). */
export function candidateOf(task: SreTask, run: DiagnosisRun | undefined): StormCandidate | undefined {
  if (!isAlertTask(task) || !task.status?.rootCause) return undefined;
  const target = task.spec.target ?? task.status.classification?.target;
  const key = groupingKey({
    rootCause: task.status.rootCause,
    dependency: run?.status?.impact?.dependency,
    target,
  });
  if (!key) return undefined;
  const candidate: StormCandidate = {
    name: task.metadata.name!,
    namespace: task.metadata.namespace!,
    agentConfig: task.spec.agentConfigRef?.name ?? "default",
    key,
    startedAt: taskStart(task),
  };
  const alertname = task.spec.alert?.labels.alertname;
  if (alertname) candidate.alertname = alertname;
  if (target) candidate.workload = target.name;
  return candidate;
}
