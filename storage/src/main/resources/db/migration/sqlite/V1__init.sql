-- Switchboard schema, SQLite dialect. Money columns (*_nanos) hold USD x 1e9 as INTEGER (exact);
-- time columns (*_us) hold microseconds since 1970-01-01T00:00:00Z; booleans are 0/1.

-- API keys. Only the SHA-256 of a key is stored, never its plaintext.
CREATE TABLE api_keys (
  hash TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  label TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('INFERENCE', 'MANAGEMENT')),
  disabled INTEGER NOT NULL DEFAULT 0,
  limit_nanos INTEGER,
  limit_reset TEXT CHECK (limit_reset IN ('daily', 'weekly', 'monthly')),
  include_byok_in_limit INTEGER NOT NULL DEFAULT 0,
  created_at_us INTEGER NOT NULL,
  updated_at_us INTEGER,
  expires_at_us INTEGER,
  creator_user_id TEXT
);

-- GET /keys lists newest first.
CREATE INDEX api_keys_by_created ON api_keys (created_at_us DESC, hash DESC);

-- Append-only ledger: one row per charge. Never updated or deleted; billing reconciles from it.
CREATE TABLE key_usage_ledger (
  id INTEGER PRIMARY KEY,
  key_hash TEXT NOT NULL,
  day TEXT NOT NULL,
  at_us INTEGER NOT NULL,
  cost_nanos INTEGER NOT NULL CHECK (cost_nanos >= 0),
  byok_nanos INTEGER NOT NULL CHECK (byok_nanos >= 0),
  generation_id TEXT
);

CREATE INDEX key_usage_ledger_by_key_day ON key_usage_ledger (key_hash, day);

-- Roll-up of the ledger per key and UTC day (YYYY-MM-DD), written in the same transaction as the
-- ledger rows. Daily, weekly and monthly usage are sums over a few of its rows.
CREATE TABLE key_usage_daily (
  key_hash TEXT NOT NULL,
  day TEXT NOT NULL,
  cost_nanos INTEGER NOT NULL,
  byok_nanos INTEGER NOT NULL,
  charges INTEGER NOT NULL,
  PRIMARY KEY (key_hash, day)
) WITHOUT ROWID;

-- One row per generation (GET /generation?id=), written behind the request path in batches.
CREATE TABLE generations (
  id TEXT PRIMARY KEY,
  request_id TEXT,
  key_hash TEXT NOT NULL,
  upstream_id TEXT,
  model TEXT NOT NULL,
  provider_name TEXT,
  provider_slug TEXT,
  created_at_us INTEGER NOT NULL,
  total_cost_nanos INTEGER NOT NULL,
  upstream_inference_cost_nanos INTEGER,
  cache_discount_nanos INTEGER,
  streamed INTEGER NOT NULL,
  cancelled INTEGER NOT NULL,
  latency_ms INTEGER NOT NULL,
  generation_time_ms INTEGER,
  moderation_latency_ms INTEGER,
  finish_reason TEXT,
  native_finish_reason TEXT,
  tokens_prompt INTEGER,
  tokens_completion INTEGER,
  native_tokens_prompt INTEGER,
  native_tokens_completion INTEGER,
  native_tokens_completion_images INTEGER,
  native_tokens_reasoning INTEGER,
  native_tokens_cached INTEGER,
  num_media_prompt INTEGER,
  num_media_completion INTEGER,
  num_input_audio_prompt INTEGER,
  num_search_results INTEGER,
  origin TEXT,
  http_referer TEXT,
  app_title TEXT,
  user_agent TEXT,
  external_user TEXT,
  api_type TEXT,
  router TEXT,
  session_id TEXT,
  is_byok INTEGER NOT NULL,
  error_status INTEGER,
  error_message TEXT,
  provider_responses TEXT
);

-- A key's generations over time (activity, per-key listings).
CREATE INDEX generations_by_key_created ON generations (key_hash, created_at_us);

-- Time-range scans and retention pruning.
CREATE INDEX generations_by_created ON generations (created_at_us);
