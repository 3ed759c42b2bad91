-- The web console lists incidents by the namespaces of their tasks (what access follows),
-- newest first, one numbered page at a time.
CREATE INDEX incidents_task_namespace_opened ON incidents (task_namespace, opened_at DESC, id DESC);
