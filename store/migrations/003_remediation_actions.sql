-- Remediation audit: one row per (plan, step, phase) a RemediationPlan step went through:
-- who approved it, what the server-side dry run said, what happened.
CREATE TABLE remediation_actions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  plan_uid text NOT NULL,
  plan_name text NOT NULL,
  plan_namespace text NOT NULL,
  task_uid text NOT NULL,
  step_index integer NOT NULL CHECK (step_index >= 0),
  phase text NOT NULL,
  action text NOT NULL,
  target jsonb,
  risk text CHECK (risk IN ('low', 'medium', 'high')),
  approved_by text,
  dry_run_result jsonb,
  outcome text,
  message text,
  occurred_at timestamptz NOT NULL,
  finished_at timestamptz,
  cr_resource_version bigint NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT remediation_actions_step_phase UNIQUE (plan_uid, step_index, phase)
);
CREATE INDEX remediation_actions_task_occurred ON remediation_actions (task_uid, occurred_at);
