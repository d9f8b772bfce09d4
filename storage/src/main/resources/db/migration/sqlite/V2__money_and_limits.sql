-- Money and limits (issue 11), SQLite dialect. Additive: new tables only. Encodings as in V1.

-- The organisation's credit ledger: one row per funding or correction, never updated or deleted.
-- total_credits is SUM(amount_nanos); no row at all means the balance is unlimited.
CREATE TABLE credit_ledger (
  id INTEGER PRIMARY KEY,
  at_us INTEGER NOT NULL,
  amount_nanos INTEGER NOT NULL CHECK (amount_nanos <> 0),
  actor TEXT NOT NULL,
  note TEXT
);

-- Per-key rate limits; NULL means the configured default, 0 means no limit.
CREATE TABLE key_rate_limits (
  key_hash TEXT PRIMARY KEY,
  requests_per_minute INTEGER CHECK (requests_per_minute >= 0),
  tokens_per_minute INTEGER CHECK (tokens_per_minute >= 0),
  updated_at_us INTEGER NOT NULL
) WITHOUT ROWID;

-- Guardrails: named policies assigned to keys. Lists are JSON arrays of strings.
CREATE TABLE guardrails (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT,
  limit_nanos INTEGER CHECK (limit_nanos >= 0),
  reset_interval TEXT CHECK (reset_interval IN ('daily', 'weekly', 'monthly')),
  include_byok_in_budgets INTEGER NOT NULL DEFAULT 0,
  allowed_models TEXT,
  ignored_models TEXT,
  allowed_providers TEXT,
  ignored_providers TEXT,
  enforce_zdr INTEGER NOT NULL DEFAULT 0,
  deny_data_collection INTEGER NOT NULL DEFAULT 0,
  created_at_us INTEGER NOT NULL,
  updated_at_us INTEGER
);

CREATE TABLE guardrail_keys (
  guardrail_id TEXT NOT NULL REFERENCES guardrails (id) ON DELETE CASCADE,
  key_hash TEXT NOT NULL,
  PRIMARY KEY (guardrail_id, key_hash)
) WITHOUT ROWID;

-- USD budgets per end user ('user') or session ('session'); subject '*' is the default rule.
CREATE TABLE budget_rules (
  scope TEXT NOT NULL CHECK (scope IN ('user', 'session')),
  subject TEXT NOT NULL,
  limit_nanos INTEGER NOT NULL CHECK (limit_nanos >= 0),
  reset_interval TEXT CHECK (reset_interval IN ('daily', 'weekly', 'monthly')),
  updated_at_us INTEGER NOT NULL,
  PRIMARY KEY (scope, subject)
) WITHOUT ROWID;

-- Spend per user or session and UTC day, written behind like the key usage roll-up.
CREATE TABLE budget_usage_daily (
  scope TEXT NOT NULL,
  subject TEXT NOT NULL,
  day TEXT NOT NULL,
  cost_nanos INTEGER NOT NULL,
  byok_nanos INTEGER NOT NULL,
  charges INTEGER NOT NULL,
  PRIMARY KEY (scope, subject, day)
) WITHOUT ROWID;

-- Apps (HTTP-Referer attribution, reference §13).
CREATE TABLE apps (
  id INTEGER PRIMARY KEY,
  referer TEXT NOT NULL UNIQUE,
  title TEXT,
  first_seen_us INTEGER NOT NULL,
  last_seen_us INTEGER NOT NULL
);

-- Usage roll-up per UTC day, key, model, provider and app (referer, '' for none), maintained by the
-- writer in the same transaction as the generation rows: /activity and the rankings read it.
CREATE TABLE usage_rollup (
  day TEXT NOT NULL,
  key_hash TEXT NOT NULL,
  model TEXT NOT NULL,
  provider_name TEXT NOT NULL,
  app_referer TEXT NOT NULL,
  requests INTEGER NOT NULL,
  prompt_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  reasoning_tokens INTEGER NOT NULL,
  cost_nanos INTEGER NOT NULL,
  byok_nanos INTEGER NOT NULL,
  PRIMARY KEY (day, key_hash, model, provider_name, app_referer)
) WITHOUT ROWID;

CREATE INDEX usage_rollup_by_app ON usage_rollup (app_referer, day);
