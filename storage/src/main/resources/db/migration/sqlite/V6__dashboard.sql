-- The dashboard (issue 15). Additive: one column and indexes.

-- The routing decision of each generation: the candidates considered, the one that served, and why
-- each other endpoint was excluded or where it ranked (the openrouter_metadata document, JSON).
ALTER TABLE generations ADD COLUMN routing_trace TEXT;

-- The overview's aggregates over a time window read only this index (it holds every column they
-- read), never the table's rows.
CREATE INDEX generations_overview ON generations (created_at_us, latency_ms, error_status, model,
  provider_name, key_hash, http_referer, total_cost_nanos, native_tokens_prompt,
  native_tokens_completion);

-- The generation log's filters, newest first (the key's is generations_by_key_created).
CREATE INDEX generations_by_model ON generations (model, created_at_us);
CREATE INDEX generations_by_provider ON generations (provider_name, created_at_us);
CREATE INDEX generations_failed ON generations (created_at_us) WHERE error_status IS NOT NULL;
