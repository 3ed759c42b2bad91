/**
 * Alert-storm groups in the incident store (docs/alert-storms.md, migration 010): the
 * projection of SreTask status.group, and the queries behind the REST view of a group.
 */
import type { Database, Queryable } from "./database.ts";
import { redactText } from "../redact/index.ts";
import { opt, required, requiredTs, resourceVersion, StoreInputError } from "./sql.ts";

type Timestamp = string | Date;

/** One task's membership as its status.group says. */
export interface GroupMembershipInput {
  taskUid: string;
  taskName: string;
  namespace: string;
  resourceVersion: string;
  /** When work on the task started. */
  startedAt: Timestamp;
  /** status.group; undefined removes the task from any group. */
  group?: { key: string; primary: string; role: "Primary" | "Member"; summary?: string };
}

/** One alert of a group, with its incident row when it has one. */
export interface IncidentGroupMember {
  taskUid: string;
  taskName: string;
  role: "Primary" | "Member";
  startedAt: Date;
  incidentId: string | null;
  alertname: string | null;
  fingerprint: string | null;
  status: string | null;
  target: Record<string, string> | null;
}

/** One storm: its key, its primary and how many alerts it holds. */
export interface IncidentGroup {
  id: string;
  namespace: string;
  primaryTask: string;
  key: string;
  summary: string | null;
  firstAt: Date;
  size: number;
  /** The primary's incident, which holds the group. */
  incidentId: string | null;
}

/** A group with its members in start order. */
export interface IncidentGroupDetail extends IncidentGroup {
  members: IncidentGroupMember[];
}

const GROUP_COLUMNS = `g.id::text AS id, g.namespace, g.primary_task AS "primaryTask", g.group_key AS key,
  g.summary, g.first_at AS "firstAt",
  (SELECT count(*)::int FROM incident_group_members m WHERE m.group_id = g.id) AS size,
  (SELECT i.id::text FROM incidents i WHERE i.task_namespace = g.namespace AND i.task_name = g.primary_task
    ORDER BY i.opened_at DESC LIMIT 1) AS "incidentId"`;

const UPSERT_GROUP = `
INSERT INTO incident_groups (namespace, primary_task, group_key, summary, first_at)
VALUES ($1, $2, $3, $4, $5::timestamptz)
ON CONFLICT (namespace, primary_task) DO UPDATE SET
  group_key = EXCLUDED.group_key,
  summary = COALESCE(EXCLUDED.summary, incident_groups.summary),
  first_at = LEAST(incident_groups.first_at, EXCLUDED.first_at), updated_at = now()
RETURNING id::text AS id`;

// Only newer task state moves a member: a replay of an older status never undoes a regrouping.
const UPSERT_MEMBER = `
INSERT INTO incident_group_members (task_uid, group_id, task_name, role, started_at, cr_resource_version)
VALUES ($1, $2::uuid, $3, $4, $5::timestamptz, $6::bigint)
ON CONFLICT (task_uid) DO UPDATE SET group_id = EXCLUDED.group_id, task_name = EXCLUDED.task_name,
  role = EXCLUDED.role, started_at = EXCLUDED.started_at, cr_resource_version = EXCLUDED.cr_resource_version
WHERE incident_group_members.cr_resource_version < EXCLUDED.cr_resource_version`;

async function dropEmptyGroups(tx: Queryable, namespace: string): Promise<void> {
  await tx.query(
    `DELETE FROM incident_groups g WHERE g.namespace = $1
       AND NOT EXISTS (SELECT 1 FROM incident_group_members m WHERE m.group_id = g.id)`,
    [namespace],
  );
}

/** Projects one task's status.group: joins, moves or leaves its group; idempotent, resourceVersion-guarded. */
export async function recordGroupMembership(db: Database, input: GroupMembershipInput): Promise<void> {
  const uid = required(input.taskUid, "taskUid");
  const namespace = required(input.namespace, "namespace");
  const rv = resourceVersion(input.resourceVersion);
  const startedAt = requiredTs(input.startedAt, "startedAt");
  const group = input.group;
  if (group && group.role !== "Primary" && group.role !== "Member")
    throw new StoreInputError(`group.role must be Primary or Member, got ${String(group.role)}`);
  await db.transaction(async (tx) => {
    if (!group) {
      await tx.query(
        "DELETE FROM incident_group_members WHERE task_uid = $1 AND cr_resource_version < $2::bigint",
        [uid, rv],
      );
    } else {
      const summary = group.role === "Primary" && group.summary ? redactText(group.summary) : undefined;
      const [row] = await tx.query<{ id: string }>(UPSERT_GROUP, [
        namespace,
        required(group.primary, "group.primary"),
        required(group.key, "group.key"),
        opt(summary),
        startedAt,
      ]);
      await tx.query(UPSERT_MEMBER, [
        uid,
        row!.id,
        required(input.taskName, "taskName"),
        group.role,
        startedAt,
        rv,
      ]);
    }
    await dropEmptyGroups(tx, namespace);
  });
}

/** The newest groups first, optionally of one namespace. */
export async function listIncidentGroups(
  db: Queryable,
  filter: { namespace?: string; limit?: number } = {},
): Promise<IncidentGroup[]> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  return db.query<IncidentGroup>(
    `SELECT ${GROUP_COLUMNS} FROM incident_groups g WHERE ($1::text IS NULL OR g.namespace = $1)
     ORDER BY g.first_at DESC, g.id DESC LIMIT $2::int`,
    [filter.namespace ?? null, limit],
  );
}

/** One group with its members, by group id or by any member's task uid; undefined when none. */
export async function getIncidentGroup(
  db: Queryable,
  ref: { id: string } | { taskUid: string },
): Promise<IncidentGroupDetail | undefined> {
  const where =
    "id" in ref
      ? "g.id::text = $1"
      : "g.id = (SELECT group_id FROM incident_group_members WHERE task_uid = $1)";
  const [group] = await db.query<IncidentGroup>(
    `SELECT ${GROUP_COLUMNS} FROM incident_groups g WHERE ${where}`,
    ["id" in ref ? ref.id : ref.taskUid],
  );
  if (!group) return undefined;
  const members = await db.query<IncidentGroupMember>(
    `SELECT m.task_uid AS "taskUid", m.task_name AS "taskName", m.role, m.started_at AS "startedAt",
       i.id::text AS "incidentId", i.alertname, i.fingerprint, i.status, i.target
     FROM incident_group_members m LEFT JOIN incidents i ON i.task_uid = m.task_uid
     WHERE m.group_id = $1::uuid ORDER BY m.started_at, m.task_name`,
    [group.id],
  );
  return { ...group, members };
}
