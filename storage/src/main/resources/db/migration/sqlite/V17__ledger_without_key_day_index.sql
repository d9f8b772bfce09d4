-- Nothing reads the ledger by key and day: usage per key and day is key_usage_daily, kept in the
-- same transaction as the ledger rows; the ledger is read by generation id (charge recovery,
-- V11) and by time (retention, V4). The index cost every request an insert into one more b-tree
-- on the record writer (docs/performance.md, 2026-12-04).
DROP INDEX key_usage_ledger_by_key_day;
