/**
 * The API-server side of monitor tasks: open (create, or find, or reopen a resolved one as a new
 * episode), resolve, and list the open ones an earlier leader left. Deterministic names make a
 * second create a 409, so a series never has two tasks.
 */
import type { SreTask } from "../../crds/index.ts";
import { SRETASK } from "../../crds/resources.ts";
import { MONITOR_LABELS } from "../../agents/monitoring/checks/index.ts";
import type { KubeClient } from "../../runtime/index.ts";
import {
  FIELD_MANAGER,
  collectionPath,
  isConflict,
  isNotFound,
  objectPath,
  statusCode,
} from "../../runtime/index.ts";

/** What opening a series' task did. */
export type OpenOutcome = "created" | "existing" | "reopened";
/** What resolving it did. */
export type ResolveOutcome = "resolved" | "unchanged" | "absent";

const WRITE = { query: { fieldManager: FIELD_MANAGER } };

/** Creates the task; an existing one is kept while firing, and reopened (a new episode) once resolved. */
export async function openTask(client: KubeClient, task: SreTask): Promise<OpenOutcome> {
  const ns = task.metadata.namespace!;
  const name = task.metadata.name!;
  try {
    await client.request("POST", collectionPath(SRETASK, ns), { ...WRITE, body: task });
    return "created";
  } catch (err) {
    if (!isConflict(err)) throw err;
  }
  const existing = await client.request<SreTask>("GET", objectPath(SRETASK, ns, name));
  if (existing.spec.alert?.status !== "resolved") return "existing";
  // Replace, not merge: the new episode must not keep the old endsAt (docs/adr/0004).
  await client.request("PATCH", objectPath(SRETASK, ns, name), {
    ...WRITE,
    contentType: "application/json-patch+json",
    body: [{ op: "replace", path: "/spec/alert", value: task.spec.alert }],
  });
  return "reopened";
}

/** Marks the task's alert resolved at endsAt, only if it is still firing (a JSON-patch test). */
export async function resolveTask(
  client: KubeClient,
  ns: string,
  name: string,
  endsAt: string,
): Promise<ResolveOutcome> {
  try {
    await client.request("PATCH", objectPath(SRETASK, ns, name), {
      ...WRITE,
      contentType: "application/json-patch+json",
      body: [
        { op: "test", path: "/spec/alert/status", value: "firing" },
        { op: "replace", path: "/spec/alert/status", value: "resolved" },
        { op: "add", path: "/spec/alert/endsAt", value: endsAt },
      ],
    });
    return "resolved";
  } catch (err) {
    if (isNotFound(err)) return "absent";
    // 422: the test failed, the alert was already resolved (or has no status to test).
    if (statusCode(err) === 422) return "unchanged";
    throw err;
  }
}

/** The firing monitor tasks of an AgentConfig, as an earlier leader left them. */
export async function openMonitorTasks(client: KubeClient, ns: string, config: string): Promise<SreTask[]> {
  const list = await client.request<{ items: SreTask[] }>("GET", collectionPath(SRETASK, ns), {
    query: { labelSelector: MONITOR_LABELS.config },
  });
  return list.items.filter(
    (t) =>
      t.spec.source === "Monitor" &&
      t.spec.agentConfigRef?.name === config &&
      t.spec.alert?.status === "firing",
  );
}
