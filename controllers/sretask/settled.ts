import type { SreTask } from "../../crds/index.ts";
import { SreTaskPhase } from "../../crds/index.ts";
import { isNewEpisode } from "./episode.ts";

// Phases after which the reconciler only reads and returns (a no-op, or at most a lookup
// whose answer cannot change the task without an event on the task itself).
const DONE: readonly string[] = [SreTaskPhase.Resolved, SreTaskPhase.Succeeded, SreTaskPhase.Failed];

/**
 * True when a replayed (restart or resync) SreTask needs no reconcile: its work is over for the
 * current spec and episode. Reads the cached object only, so skipping costs no API call. A
 * Diagnosed task that did not ask for remediation is settled: turning on an AgentConfig's
 * autoRemediation later applies to new tasks and to tasks that change, not to every old one.
 */
export function taskSettled(task: SreTask): boolean {
  const status = task.status;
  if (task.metadata.deletionTimestamp) return true;
  if (!status?.phase || status.observedGeneration !== task.metadata.generation) return false;
  if (isNewEpisode(task)) return false;
  if (status.phase === SreTaskPhase.Resolved) return true;
  // A firing task whose alert resolved while the operator was away still has to end Resolved.
  if (task.spec.alert?.status === "resolved") return false;
  if (DONE.includes(status.phase)) return true;
  return status.phase === SreTaskPhase.Diagnosed && !status.remediationPlanRef && !waitsForPlan(task);
}

/** A Diagnosed task that asked for remediation still gets its plan on the next reconcile. */
function waitsForPlan(task: SreTask): boolean {
  const asks = task.spec.type === "Remediate" || task.status?.classification?.type === "Remediate";
  return asks && task.spec.remediation?.mode !== "Never";
}
