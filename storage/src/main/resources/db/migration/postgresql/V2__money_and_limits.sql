-- Money and limits (issue 11), PostgreSQL dialect: the same tables as the SQLite set
-- (db/migration/sqlite/V2__money_and_limits.sql) with BOOLEAN, DATE and identity columns.
-- Unlike SQLite, PostgreSQL enforces guardrail_keys' foreign key: a guardrail is updated in place
-- (INSERT ... ON CONFLICT DO UPDATE), never deleted and re-inserted, or its assignments would go.

CREATE TABLE credit_ledger (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at_us BIGINT NOT NULL,
  amount_nanos BIGINT NOT NULL CHECK (amount_nanos <> 0),
  actor TEXT NOT NULL,
  note TEXT
);

CREATE TABLE key_rate_limits (
  key_hash TEXT PRIMARY KEY,
  requests_per_minute INTEGER CHECK (requests_per_minute >= 0),
  tokens_per_minute INTEGER CHECK (tokens_per_minute >= 0),
  updated_at_us BIGINT NOT NULL
);

CREATE TABLE guardrails (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT,
  limit_nanos BIGINT CHECK (limit_nanos >= 0),
  reset_interval TEXT CHECK (reset_interval IN ('daily', 'weekly', 'monthly')),
  include_byok_in_budgets BOOLEAN NOT NULL DEFAULT FALSE,
  allowed_models TEXT,
  ignored_models TEXT,
  allowed_providers TEXT,
  ignored_providers TEXT,
  enforce_zdr BOOLEAN NOT NULL DEFAULT FALSE,
  deny_data_collection BOOLEAN NOT NULL DEFAULT FALSE,
  created_at_us BIGINT NOT NULL,
  updated_at_us BIGINT
);

CREATE TABLE guardrail_keys (
  guardrail_id TEXT NOT NULL REFERENCES guardrails (id) ON DELETE CASCADE,
  key_hash TEXT NOT NULL,
  PRIMARY KEY (guardrail_id, key_hash)
);

CREATE TABLE budget_rules (
  scope TEXT NOT NULL CHECK (scope IN ('user', 'session')),
  subject TEXT NOT NULL,
  limit_nanos BIGINT NOT NULL CHECK (limit_nanos >= 0),
  reset_interval TEXT CHECK (reset_interval IN ('daily', 'weekly', 'monthly')),
  updated_at_us BIGINT NOT NULL,
  PRIMARY KEY (scope, subject)
);

CREATE TABLE budget_usage_daily (
  scope TEXT NOT NULL,
  subject TEXT NOT NULL,
  day DATE NOT NULL,
  cost_nanos BIGINT NOT NULL,
  byok_nanos BIGINT NOT NULL,
  charges BIGINT NOT NULL,
  PRIMARY KEY (scope, subject, day)
);

CREATE TABLE apps (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  referer TEXT NOT NULL UNIQUE,
  title TEXT,
  first_seen_us BIGINT NOT NULL,
  last_seen_us BIGINT NOT NULL
);

CREATE TABLE usage_rollup (
  day DATE NOT NULL,
  key_hash TEXT NOT NULL,
  model TEXT NOT NULL,
  provider_name TEXT NOT NULL,
  app_referer TEXT NOT NULL,
  requests BIGINT NOT NULL,
  prompt_tokens BIGINT NOT NULL,
  completion_tokens BIGINT NOT NULL,
  reasoning_tokens BIGINT NOT NULL,
  cost_nanos BIGINT NOT NULL,
  byok_nanos BIGINT NOT NULL,
  PRIMARY KEY (day, key_hash, model, provider_name, app_referer)
);

CREATE INDEX usage_rollup_by_app ON usage_rollup (app_referer, day);
