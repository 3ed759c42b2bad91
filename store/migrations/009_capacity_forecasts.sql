-- Capacity forecasts over time (docs/capacity.md): one row per (generated_at, scope, key,
-- resource, measure), written by the capacity loop each cycle, read by the console and Grafana.
-- days_to_exhaustion is NULL when the usage does not grow toward the capacity; the band is the
-- 80 % interval of the exhaustion day (NULL: not within a year). Rows without a forecast (short
-- history) are not stored.
CREATE TABLE capacity_forecasts (
  generated_at timestamptz NOT NULL,
  agent_config text NOT NULL DEFAULT '',
  scope text NOT NULL,
  key text NOT NULL,
  resource text NOT NULL,
  measure text NOT NULL,
  used double precision NOT NULL,
  capacity double precision NOT NULL,
  utilization double precision NOT NULL,
  slope_per_day double precision NOT NULL,
  days_to_exhaustion double precision,
  band_low double precision,
  band_high double precision,
  method text NOT NULL,
  history_days integer NOT NULL,
  PRIMARY KEY (scope, key, resource, measure, generated_at)
);
-- "Latest per key" and "history of one key" walk the primary key backwards; the time range
-- (Grafana's $__timeFilter, retention) needs generated_at first.
CREATE INDEX capacity_forecasts_generated ON capacity_forecasts (generated_at DESC);
