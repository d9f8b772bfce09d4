-- The dashboard's 7-day overview at a million generation records (issue 15, ADR 0013 decisions 7-9).
-- A closed hour's (or day's) latency histogram in one row: the distinct whole milliseconds and their
-- request counts, packed as varints (LatencyPacking), with the period's request and error totals.
-- The storage's compaction thread fills it from dashboard_latency once a period has ended; the
-- overview reads a packed row only while its totals equal dashboard_rollup's for the period (a record
-- written late into a packed period makes it read the period's histogram rows until it is packed
-- again). Nothing to backfill: the first compaction after start packs the past.
CREATE TABLE dashboard_latency_packed (
  period_us INTEGER NOT NULL,
  start_us INTEGER NOT NULL,
  requests INTEGER NOT NULL,
  errors INTEGER NOT NULL,
  histogram BLOB NOT NULL,
  PRIMARY KEY (period_us, start_us)
) WITHOUT ROWID;
