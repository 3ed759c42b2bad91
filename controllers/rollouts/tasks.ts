/**
 * The API-server side of rollout tasks: create one per (workload, revision) — its deterministic
 * name makes a second create a 409, so a restarted leader never opens it twice — and count the
 * ones still open for status.
 */
import type { SreTask } from "../../crds/index.ts";
import { SreTaskPhase } from "../../crds/index.ts";
import { SRETASK } from "../../crds/resources.ts";
import { ROLLOUT_LABELS } from "../../agents/rollouts/index.ts";
import type { KubeClient } from "../../runtime/index.ts";
import { FIELD_MANAGER, collectionPath, isConflict } from "../../runtime/index.ts";

/** Creates the task; "existing" when an earlier run (or leader) already did. */
export async function openRolloutTask(client: KubeClient, task: SreTask): Promise<"created" | "existing"> {
  try {
    await client.request("POST", collectionPath(SRETASK, task.metadata.namespace!), {
      query: { fieldManager: FIELD_MANAGER },
      body: task,
    });
    return "created";
  } catch (err) {
    if (isConflict(err)) return "existing";
    throw err;
  }
}

const DONE: ReadonlySet<string> = new Set([
  SreTaskPhase.Succeeded,
  SreTaskPhase.Failed,
  SreTaskPhase.Resolved,
]);

/** Rollout tasks of an AgentConfig not yet Succeeded, Failed or Resolved. */
export async function countOpen(client: KubeClient, ns: string, config: string): Promise<number> {
  const list = await client.request<{ items: SreTask[] }>("GET", collectionPath(SRETASK, ns), {
    query: { labelSelector: `${ROLLOUT_LABELS.config}=${config}` },
  });
  return list.items.filter((t) => !DONE.has(t.status?.phase ?? "")).length;
}
