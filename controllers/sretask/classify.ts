import { classifyTask } from "../../agents/classifier/index.ts";
import type { SreTask, SreTaskStatus } from "../../crds/index.ts";
import { ConditionType, Reason } from "../../crds/index.ts";
import { setCondition } from "../../operator/runtime/index.ts";

/** Records the rules classifier's reading of the task (type, target, confidence) in status. */
export function recordClassification(status: SreTaskStatus, task: SreTask, now: number): void {
  // `unsure` only steers the optional LLM fallback; it is not part of the status schema.
  const { unsure, ...classification } = classifyTask(task);
  status.classification = classification;
  const what = classification.target
    ? `${classification.target.kind} ${classification.target.namespace ?? ""}/${classification.target.name}`
    : "no specific resource";
  const message = `${classification.type} about ${what} (confidence ${classification.confidence}${unsure ? ", unsure" : ""})`;
  status.conditions = setCondition(
    status.conditions,
    {
      type: ConditionType.Classified,
      status: "True",
      reason: Reason.Classified,
      message,
      observedGeneration: task.metadata.generation,
    },
    now,
  );
}
