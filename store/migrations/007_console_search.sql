-- The console's full-text search: one lower-cased text of what a person remembers of an
-- incident, kept by PostgreSQL itself, so a search is one LIKE per row instead of a
-- concatenation and a case-insensitive match on six columns. The trigram index (pg_trgm, from
-- migration 006) answers patterns of three or more ASCII characters without a scan; other
-- patterns (Chinese in a C-locale database has no trigrams) scan this one column.
ALTER TABLE incidents ADD COLUMN console_search text GENERATED ALWAYS AS (lower(
  coalesce(summary, '') || ' ' || coalesce(alertname, '') || ' ' || coalesce(root_cause, '') || ' ' ||
  coalesce(category, '') || ' ' || task_name || ' ' || coalesce(namespace, ''))) STORED;
CREATE INDEX incidents_console_search_trgm ON incidents USING gin (console_search gin_trgm_ops);
