-- Switchboard schema, PostgreSQL dialect: the same tables, columns and money/time encodings as the
-- SQLite set (db/migration/sqlite), with PostgreSQL's BOOLEAN and DATE where SQLite has 0/1 and
-- 'YYYY-MM-DD'. Money columns (*_nanos) hold USD x 1e9 as BIGINT (exact; SUM() over BIGINT is
-- NUMERIC, so it cannot overflow); time columns (*_us) hold microseconds since the epoch, UTC.
-- Run by storage.kind: postgres (cluster mode, docs/adr/0005-postgresql.md). The stores bind days as
-- 'YYYY-MM-DD' strings on both engines: the connection sends strings untyped, so they become DATEs.

-- API keys. Only the SHA-256 of a key is stored, never its plaintext.
CREATE TABLE api_keys (
  hash TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  label TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('INFERENCE', 'MANAGEMENT')),
  disabled BOOLEAN NOT NULL DEFAULT FALSE,
  limit_nanos BIGINT,
  limit_reset TEXT CHECK (limit_reset IN ('daily', 'weekly', 'monthly')),
  include_byok_in_limit BOOLEAN NOT NULL DEFAULT FALSE,
  created_at_us BIGINT NOT NULL,
  updated_at_us BIGINT,
  expires_at_us BIGINT,
  creator_user_id TEXT
);

-- GET /keys lists newest first.
CREATE INDEX api_keys_by_created ON api_keys (created_at_us DESC, hash DESC);

-- Append-only ledger: one row per charge. Never updated or deleted; billing reconciles from it.
CREATE TABLE key_usage_ledger (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key_hash TEXT NOT NULL,
  day DATE NOT NULL,
  at_us BIGINT NOT NULL,
  cost_nanos BIGINT NOT NULL CHECK (cost_nanos >= 0),
  byok_nanos BIGINT NOT NULL CHECK (byok_nanos >= 0),
  generation_id TEXT
);

CREATE INDEX key_usage_ledger_by_key_day ON key_usage_ledger (key_hash, day);

-- Roll-up of the ledger per key and UTC day, written in the same transaction as the ledger rows:
-- INSERT ... ON CONFLICT (key_hash, day) DO UPDATE SET cost_nanos = key_usage_daily.cost_nanos +
-- excluded.cost_nanos, ... (PostgreSQL needs the table name where SQLite does not).
CREATE TABLE key_usage_daily (
  key_hash TEXT NOT NULL,
  day DATE NOT NULL,
  cost_nanos BIGINT NOT NULL,
  byok_nanos BIGINT NOT NULL,
  charges BIGINT NOT NULL,
  PRIMARY KEY (key_hash, day)
);

-- One row per generation (GET /generation?id=), written behind the request path in batches.
CREATE TABLE generations (
  id TEXT PRIMARY KEY,
  request_id TEXT,
  key_hash TEXT NOT NULL,
  upstream_id TEXT,
  model TEXT NOT NULL,
  provider_name TEXT,
  provider_slug TEXT,
  created_at_us BIGINT NOT NULL,
  total_cost_nanos BIGINT NOT NULL,
  upstream_inference_cost_nanos BIGINT,
  cache_discount_nanos BIGINT,
  streamed BOOLEAN NOT NULL,
  cancelled BOOLEAN NOT NULL,
  latency_ms BIGINT NOT NULL,
  generation_time_ms BIGINT,
  moderation_latency_ms BIGINT,
  finish_reason TEXT,
  native_finish_reason TEXT,
  tokens_prompt BIGINT,
  tokens_completion BIGINT,
  native_tokens_prompt BIGINT,
  native_tokens_completion BIGINT,
  native_tokens_completion_images BIGINT,
  native_tokens_reasoning BIGINT,
  native_tokens_cached BIGINT,
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
  is_byok BOOLEAN NOT NULL,
  error_status INTEGER,
  error_message TEXT,
  provider_responses TEXT
);

-- A key's generations over time (activity, per-key listings).
CREATE INDEX generations_by_key_created ON generations (key_hash, created_at_us);

-- Time-range scans and retention pruning.
CREATE INDEX generations_by_created ON generations (created_at_us);
