-- Alert storms (docs/alert-storms.md): SreTasks whose diagnoses share one root cause (the same
-- failing dependency, node or cluster DNS) within a window form one group in one namespace. The
-- primary's incident holds the group; every alert's task is attached as a member. Projected from
-- SreTask status.group by the incident projection, guarded by the task's resourceVersion.
CREATE TABLE incident_groups (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  namespace text NOT NULL,
  primary_task text NOT NULL,
  group_key text NOT NULL,
  summary text,
  first_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (namespace, primary_task)
);
CREATE INDEX incident_groups_first ON incident_groups (first_at DESC, id DESC);
CREATE INDEX incident_groups_namespace_first ON incident_groups (namespace, first_at DESC);

CREATE TABLE incident_group_members (
  task_uid text PRIMARY KEY,
  group_id uuid NOT NULL REFERENCES incident_groups (id) ON DELETE CASCADE,
  task_name text NOT NULL,
  role text NOT NULL,
  started_at timestamptz NOT NULL,
  cr_resource_version bigint NOT NULL,
  CONSTRAINT incident_group_members_role_check CHECK (role IN ('Primary', 'Member'))
);
CREATE INDEX incident_group_members_group ON incident_group_members (group_id, started_at);
