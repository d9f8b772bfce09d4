-- The ledger by generation: at open, the gateway looks for generation records written without
-- their charge (a kill -9 between the two commits) and books the missing charges; this index keeps
-- that look-up to one probe per recent generation.
CREATE INDEX key_usage_ledger_by_generation ON key_usage_ledger (generation_id);
