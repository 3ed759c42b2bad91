-- Action history (store/action-history.ts): remediation steps per target namespace within a window,
-- and per window cluster-wide (resolved incidents already have incidents_status_opened).
-- Plan-level rows (action 'Plan') are never counted, so they stay out of both indexes.
CREATE INDEX remediation_actions_ns_occurred ON remediation_actions ((target->>'namespace'), occurred_at)
  WHERE action <> 'Plan';
CREATE INDEX remediation_actions_step_occurred ON remediation_actions (occurred_at) WHERE action <> 'Plan';
