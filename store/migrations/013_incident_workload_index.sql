-- Incident memory inside every diagnosis (docs/scaling.md): "the same category on the same
-- workload" scanned every incident of the window, 5 ms at 3,400 incidents and growing with the
-- history. Category and workload name narrow it to the workload's own incidents, newest first.
CREATE INDEX incidents_workload_opened ON incidents (category, (target->>'name'), opened_at DESC, id DESC);
