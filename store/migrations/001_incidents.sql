-- Incidents: the durable projection of SreTasks (DESIGN.md principle 2). One row per
-- incident; incident_tasks maps every SreTask uid that fed it (the opener and any task
-- that refired the same alert fingerprint while it was open).
CREATE TABLE incidents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  task_uid text NOT NULL UNIQUE,
  task_name text NOT NULL,
  task_namespace text NOT NULL,
  fingerprint text,
  alertname text,
  severity text,
  status text NOT NULL,
  namespace text,
  target jsonb,
  summary text,
  root_cause text,
  category text,
  ai_analysis jsonb,
  recommended_actions jsonb NOT NULL DEFAULT '[]'::jsonb,
  diagnosis_ref text,
  plan_ref text,
  opened_at timestamptz NOT NULL,
  diagnosed_at timestamptz,
  resolved_at timestamptz,
  -- Guards: a write derived from an older resourceVersion never overwrites a newer one.
  cr_resource_version bigint NOT NULL,
  diagnosis_uid text,
  diagnosis_resource_version bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT incidents_status_check
    CHECK (status IN ('open', 'diagnosing', 'diagnosed', 'remediating', 'failed', 'resolved')),
  CONSTRAINT incidents_resolved_at_check CHECK ((status = 'resolved') = (resolved_at IS NOT NULL))
);

-- At most one open incident per alert fingerprint: a refiring alert updates it.
CREATE UNIQUE INDEX incidents_open_fingerprint ON incidents (fingerprint)
  WHERE fingerprint IS NOT NULL AND status <> 'resolved';
CREATE INDEX incidents_opened ON incidents (opened_at DESC, id DESC);
CREATE INDEX incidents_namespace_opened ON incidents (namespace, opened_at DESC);
CREATE INDEX incidents_status_opened ON incidents (status, opened_at DESC);
CREATE INDEX incidents_fingerprint_opened ON incidents (fingerprint, opened_at DESC);

CREATE TABLE incident_tasks (
  task_uid text PRIMARY KEY,
  incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  linked_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incident_tasks_incident ON incident_tasks (incident_id);
