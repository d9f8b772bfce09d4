-- /activity at a million generation records and more (issue 12, ADR 0013). usage_rollup has a row
-- per day, key, model, provider and app: with many keys and apps that is nearly a row per record
-- of the day, and GET /activity (every key, 30 days) summed all of them. This roll-up holds what
-- that call returns, per day, model and provider; the record writer adds to it in the transaction
-- that adds to usage_rollup, and it starts as the sum of usage_rollup.
CREATE TABLE activity_daily (
  day DATE NOT NULL,
  model TEXT NOT NULL,
  provider_name TEXT NOT NULL,
  requests BIGINT NOT NULL,
  prompt_tokens BIGINT NOT NULL,
  completion_tokens BIGINT NOT NULL,
  reasoning_tokens BIGINT NOT NULL,
  cost_nanos BIGINT NOT NULL,
  byok_nanos BIGINT NOT NULL,
  PRIMARY KEY (day, model, provider_name)
);

INSERT INTO activity_daily
SELECT day, model, provider_name, SUM(requests), SUM(prompt_tokens), SUM(completion_tokens),
  SUM(reasoning_tokens), SUM(cost_nanos), SUM(byok_nanos)
FROM usage_rollup GROUP BY day, model, provider_name;

-- GET /activity?api_key_hash=: one key's rows, not every key's rows of the window.
CREATE INDEX usage_rollup_by_key ON usage_rollup (key_hash, day);

-- The overview's latency histograms (V12) read by an index-only scan: the rows of one hour are
-- written over that hour, so they lie on as many heap pages as there are rows (a 7-day read was
-- 132,000 page visits and 1.3 s at a million records; 160 ms index-only, docs/performance.md).
-- SQLite's WITHOUT ROWID table is already ordered by its key.
CREATE INDEX dashboard_latency_covering ON dashboard_latency (period_us, start_us)
  INCLUDE (latency_ms, requests, errors);
