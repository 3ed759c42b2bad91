-- rootCause.change (docs/diagnosis-change.md): the change that explains when the failure
-- began, as the diagnosis names it ({kind, namespace, name, at, what}); NULL when none does.
ALTER TABLE incidents ADD COLUMN root_cause_change jsonb;
