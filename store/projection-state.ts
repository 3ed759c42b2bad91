/**
 * What the incident store already holds of each projected SreTask, read in two queries: the
 * resourceVersions the projection's writes are guarded by. A restart's projection compares a
 * task with it and skips the writes that would all be "stale", instead of one transaction per
 * finished task ahead of new work (docs/scaling.md).
 */
import type { Queryable } from "./database.ts";

/** The guarded resourceVersions stored for one task (decimal strings, compared as BigInt). */
export interface StoredTaskState {
  /** cr_resource_version of the incident the task feeds. */
  incidentRv: string;
  /** diagnosis_resource_version of that incident ("0" before any diagnosis). */
  diagnosisRv: string;
  /** cr_resource_version of the task's storm-group membership, when it has one. */
  groupRv?: string;
}

/** Stored state by task uid, and each recorded diagnosis's resourceVersion by run uid. */
export interface ProjectionState {
  tasks: Map<string, StoredTaskState>;
  diagnoses: Map<string, string>;
}

/** Reads what the store holds of every projected task and diagnosis. */
export async function loadProjectionState(db: Queryable): Promise<ProjectionState> {
  const taskRows = await db.query<{ uid: string; rv: string; drv: string; grv: string | null }>(
    `SELECT t.task_uid AS uid, i.cr_resource_version::text AS rv, i.diagnosis_resource_version::text AS drv,
       m.cr_resource_version::text AS grv
     FROM incident_tasks t JOIN incidents i ON i.id = t.incident_id
     LEFT JOIN incident_group_members m ON m.task_uid = t.task_uid`,
  );
  const runRows = await db.query<{ uid: string; rv: string }>(
    "SELECT diagnosis_uid AS uid, cr_resource_version::text AS rv FROM diagnoses",
  );
  const tasks = new Map<string, StoredTaskState>();
  for (const r of taskRows) {
    const state: StoredTaskState = { incidentRv: r.rv, diagnosisRv: r.drv };
    if (r.grv !== null) state.groupRv = r.grv;
    tasks.set(r.uid, state);
  }
  return { tasks, diagnoses: new Map(runRows.map((r) => [r.uid, r.rv])) };
}
