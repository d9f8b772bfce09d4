-- Growth (issue 12): with millions of rows, retention pruning (storage.retention.days) deletes
-- ledger rows by time, which needs an index. generations already has (created_at_us) and
-- (key_hash, created_at_us); /activity reads the usage_rollup, whose key starts with the day; the
-- ledger by generation id is V11's.
CREATE INDEX key_usage_ledger_by_at ON key_usage_ledger (at_us);
