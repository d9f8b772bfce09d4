-- The dashboard's overview at a million generation records and more (issues 12 and 15, ADR 0013).
-- Two roll-ups the record writer keeps exact, in the transaction that inserts the generation rows;
-- the overview reads them for every whole hour (or day) of its window and the generation rows only
-- for the parts of an hour at its edges.

-- Requests, errors, tokens and cost per UTC hour and per value of one dimension: dim 0 the model,
-- 1 the provider name, 2 the key hash, 3 the app (HTTP-Referer); grp is '' when the record has none.
-- One row per hour and group of one dimension, not per combination of all four: the overview
-- splits by one dimension at a time, and the combinations are about as many as the records.
CREATE TABLE dashboard_rollup (
  dim INTEGER NOT NULL,
  hour_us INTEGER NOT NULL,
  grp TEXT NOT NULL,
  requests INTEGER NOT NULL,
  errors INTEGER NOT NULL,
  prompt_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  cost_nanos INTEGER NOT NULL,
  PRIMARY KEY (dim, hour_us, grp)
) WITHOUT ROWID;

-- The latency histogram (requests and errors per whole millisecond) per UTC hour
-- (period_us = 3600000000) and per UTC day (period_us = 86400000000): exact percentiles.
CREATE TABLE dashboard_latency (
  period_us INTEGER NOT NULL,
  start_us INTEGER NOT NULL,
  latency_ms INTEGER NOT NULL,
  requests INTEGER NOT NULL,
  errors INTEGER NOT NULL,
  PRIMARY KEY (period_us, start_us, latency_ms)
) WITHOUT ROWID;

INSERT INTO dashboard_rollup
SELECT 0, created_at_us / 3600000000 * 3600000000, model, COUNT(*),
  SUM(CASE WHEN error_status IS NULL THEN 0 ELSE 1 END), SUM(COALESCE(native_tokens_prompt, 0)),
  SUM(COALESCE(native_tokens_completion, 0)), SUM(total_cost_nanos)
FROM generations GROUP BY 2, 3;
INSERT INTO dashboard_rollup
SELECT 1, created_at_us / 3600000000 * 3600000000, COALESCE(provider_name, ''), COUNT(*),
  SUM(CASE WHEN error_status IS NULL THEN 0 ELSE 1 END), SUM(COALESCE(native_tokens_prompt, 0)),
  SUM(COALESCE(native_tokens_completion, 0)), SUM(total_cost_nanos)
FROM generations GROUP BY 2, 3;
INSERT INTO dashboard_rollup
SELECT 2, created_at_us / 3600000000 * 3600000000, key_hash, COUNT(*),
  SUM(CASE WHEN error_status IS NULL THEN 0 ELSE 1 END), SUM(COALESCE(native_tokens_prompt, 0)),
  SUM(COALESCE(native_tokens_completion, 0)), SUM(total_cost_nanos)
FROM generations GROUP BY 2, 3;
INSERT INTO dashboard_rollup
SELECT 3, created_at_us / 3600000000 * 3600000000, COALESCE(http_referer, ''), COUNT(*),
  SUM(CASE WHEN error_status IS NULL THEN 0 ELSE 1 END), SUM(COALESCE(native_tokens_prompt, 0)),
  SUM(COALESCE(native_tokens_completion, 0)), SUM(total_cost_nanos)
FROM generations GROUP BY 2, 3;
INSERT INTO dashboard_latency
SELECT 3600000000, created_at_us / 3600000000 * 3600000000, latency_ms, COUNT(*),
  SUM(CASE WHEN error_status IS NULL THEN 0 ELSE 1 END)
FROM generations GROUP BY 2, 3;
INSERT INTO dashboard_latency
SELECT 86400000000, created_at_us / 86400000000 * 86400000000, latency_ms, COUNT(*),
  SUM(CASE WHEN error_status IS NULL THEN 0 ELSE 1 END)
FROM generations GROUP BY 2, 3;
