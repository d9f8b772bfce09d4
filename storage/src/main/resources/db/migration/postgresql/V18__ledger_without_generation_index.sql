-- The ledger by generation id served one query: charge recovery at open, which now reads the
-- newest ledger rows by id instead (a charge is never written before its record, so the charges
-- of the newest records are among the newest ledger rows). Generation ids are random within their
-- second, so every charge inserted into this b-tree at a random place: about 4 us of the record
-- writer's CPU a request on SQLite (docs/performance.md, 2026-12-04).
DROP INDEX key_usage_ledger_by_generation;
