import { redactObject } from "../redact/index.ts";
import type { Queryable } from "./database.ts";
import { json, required, ts } from "./sql.ts";
import type { ChatSession, ChatSessionInput, WriteOutcome } from "./types.ts";

interface ChatRow {
  channel: string;
  userId: string;
  lastTaskUid: string | null;
  lastTaskName: string | null;
  lastTaskNamespace: string | null;
  context: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * Creates or updates a chat user's session: the task they last talked about and the
 * conversation context (replaced when given). An older write (by `at`) never overwrites a newer one.
 */
export async function upsertChatSession(db: Queryable, raw: ChatSessionInput): Promise<WriteOutcome> {
  const input = redactObject(raw);
  const task = input.lastTask;
  const rows = await db.query<{ inserted: boolean }>(
    `INSERT INTO chat_sessions (channel, user_id, last_task_uid, last_task_name, last_task_namespace, context,
       created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, COALESCE($6::jsonb, '{}'::jsonb), $7::timestamptz, $7::timestamptz)
     ON CONFLICT (channel, user_id) DO UPDATE SET
       last_task_uid = COALESCE($3, chat_sessions.last_task_uid),
       last_task_name = CASE WHEN $3::text IS NULL THEN chat_sessions.last_task_name ELSE $4 END,
       last_task_namespace = CASE WHEN $3::text IS NULL THEN chat_sessions.last_task_namespace ELSE $5 END,
       context = COALESCE($6::jsonb, chat_sessions.context), updated_at = EXCLUDED.updated_at
     WHERE chat_sessions.updated_at <= EXCLUDED.updated_at
     RETURNING (xmax = 0) AS inserted`,
    [
      input.channel ?? "wecom",
      required(input.userId, "userId"),
      task ? required(task.uid, "lastTask.uid") : null,
      task?.name ?? null,
      task?.namespace ?? null,
      json(input.context),
      ts(input.at, "at") ?? new Date().toISOString(),
    ],
  );
  return rows.length === 0 ? "stale" : rows[0]?.inserted ? "inserted" : "updated";
}

/** A chat user's session, or undefined when they never talked to us. */
export async function getChatSession(
  db: Queryable,
  userId: string,
  channel = "wecom",
): Promise<ChatSession | undefined> {
  const [row] = await db.query<ChatRow>(
    `SELECT channel, user_id AS "userId", last_task_uid AS "lastTaskUid", last_task_name AS "lastTaskName",
       last_task_namespace AS "lastTaskNamespace", context, created_at AS "createdAt", updated_at AS "updatedAt"
     FROM chat_sessions WHERE channel = $1 AND user_id = $2`,
    [channel, userId],
  );
  if (!row) return undefined;
  const lastTask =
    row.lastTaskUid === null
      ? null
      : { uid: row.lastTaskUid, name: row.lastTaskName ?? "", namespace: row.lastTaskNamespace ?? "" };
  return {
    channel: row.channel,
    userId: row.userId,
    lastTask,
    context: row.context,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
