#!/usr/bin/env bash
# The record writer as cluster mode uses it (issue 12): THREADS request threads each record a
# generation and its charge, then wait for the commit (Storage.durable()) before the next one.
# Prints records/s, the commit wait p50/p99, records per transaction and the process's CPU per
# record for SQLite, PostgreSQL as the writer sent it before (one executeBatch per table and a
# COMMIT: "postgres-batches") and PostgreSQL in one statement per batch ("postgres"), interleaved
# ROUNDS times. PostgreSQL: a database of its own on the test kit's server, dropped at the end.
#
#   bench/writer.sh                                   (16 and 64 threads, 10 s a point, 3 rounds)
#   THREADS=16 SECONDS_PER_POINT=5 ROUNDS=1 bench/writer.sh
#
# Environment: THREADS [16,64] SECONDS_PER_POINT [10] ROUNDS [3]
#              ENGINES [sqlite,postgres-batches,postgres]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=bench/lib.sh
source bench/lib.sh
use_launcher_jdk
./mvnw -B -q -o -pl storage -am verify -Dtest=DurableWriterBench -Dstorage.bench=true \
  -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=none -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dspotless.check.skip=true -Dbench.engines="${ENGINES:-sqlite,postgres-batches,postgres}" \
  -Dbench.threads="${THREADS:-16,64}" -Dbench.seconds="${SECONDS_PER_POINT:-10}" \
  -Dbench.rounds="${ROUNDS:-3}" >/dev/null
grep -v DEBUG storage/target/surefire-reports/dev.switchboard.server.storage.DurableWriterBench-output.txt \
  | grep -E '^(writer bench|engine|round|sqlite|postgres)'
