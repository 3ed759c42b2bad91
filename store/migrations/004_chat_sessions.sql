-- Chat sessions: per chat user (WeCom user id), the task they last talked about and
-- free conversation context, so "状态" / "approve" can refer to "that task".
CREATE TABLE chat_sessions (
  channel text NOT NULL DEFAULT 'wecom',
  user_id text NOT NULL,
  last_task_uid text,
  last_task_name text,
  last_task_namespace text,
  context jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, user_id)
);
