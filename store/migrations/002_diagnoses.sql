-- Diagnosis history: one row per DiagnosisRun, keyed by its uid. Linked to an incident
-- through the run's SreTask uid, so a run projected before its incident still shows up.
CREATE TABLE diagnoses (
  diagnosis_uid text PRIMARY KEY,
  task_uid text NOT NULL,
  name text NOT NULL,
  namespace text NOT NULL,
  phase text NOT NULL,
  root_cause text,
  category text,
  confidence double precision,
  findings jsonb NOT NULL DEFAULT '[]'::jsonb,
  ai_analysis jsonb,
  recommended_actions jsonb NOT NULL DEFAULT '[]'::jsonb,
  started_at timestamptz NOT NULL,
  completed_at timestamptz,
  cr_resource_version bigint NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX diagnoses_task_started ON diagnoses (task_uid, started_at);
