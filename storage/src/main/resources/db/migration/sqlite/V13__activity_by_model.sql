-- /activity at a million generation records and more (issue 12, ADR 0013). usage_rollup has a row
-- per day, key, model, provider and app: with many keys and apps that is nearly a row per record
-- of the day, and GET /activity (every key, 30 days) summed all of them. This roll-up holds what
-- that call returns, per day, model and provider; the record writer adds to it in the transaction
-- that adds to usage_rollup, and it starts as the sum of usage_rollup.
CREATE TABLE activity_daily (
  day TEXT NOT NULL,
  model TEXT NOT NULL,
  provider_name TEXT NOT NULL,
  requests INTEGER NOT NULL,
  prompt_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  reasoning_tokens INTEGER NOT NULL,
  cost_nanos INTEGER NOT NULL,
  byok_nanos INTEGER NOT NULL,
  PRIMARY KEY (day, model, provider_name)
) WITHOUT ROWID;

INSERT INTO activity_daily
SELECT day, model, provider_name, SUM(requests), SUM(prompt_tokens), SUM(completion_tokens),
  SUM(reasoning_tokens), SUM(cost_nanos), SUM(byok_nanos)
FROM usage_rollup GROUP BY day, model, provider_name;

-- GET /activity?api_key_hash=: one key's rows, not every key's rows of the window.
CREATE INDEX usage_rollup_by_key ON usage_rollup (key_hash, day);
