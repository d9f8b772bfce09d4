#!/usr/bin/env bash
# The record and dashboard queries under a large generation log (issue 12: GET /generation?id= and
# GET /activity p99 <= 50 ms at 1 million records, and record writes that keep up; issue 15: the
# dashboard's overview and activity calls p99 <= 300 ms at 1 million records).
#
#   bench/dashboard.sh                               (SQLite, RECORDS=1000000 ROUNDS=200)
#   DB=postgres bench/dashboard.sh                   (the same on PostgreSQL)
#   RECORDS=20000 ROUNDS=20 bench/dashboard.sh       (a small run, about a minute)
#
# Seeds the records with one SQL statement and rebuilds the roll-ups the record writer keeps with the
# migrations' backfill statements (minutes): SQLite in bench/local/dashboard-$RECORDS (gitignored;
# reused by later runs with the same RECORDS), PostgreSQL in a database of its own,
# sb_dashboard_<pid>, dropped at the end (KEEP_DB=name reuses and keeps one: created when missing).
# Then writes APPEND more records through the record writer on top and prints its rate (per second
# of wall time and of CPU time), starts the gateway on the data in-process (demo mode, loopback,
# port 0) and times each call ROUNDS times, one at a time (dev.switchboard.bench.DashboardQueries),
# last /metrics after chat traffic to every catalog model. Prints p50, p99 and max per call, and the
# load average before and after. Bounded: the whole run stops after
# TIMEOUT seconds.
#
# Environment: DB [sqlite|postgres]  RECORDS [1000000]  ROUNDS [200]  TARGET_MS [300]
#              RECORDS_TARGET_MS [50]  APPEND [50000]  TIMEOUT [3600]  KEEP_DB []
#              PGHOST [127.0.0.1] PGPORT [5432] PGUSER [postgres]
#              GATEWAY_JAR / BENCH_JAR (default: this tree's, built when missing)
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
DB="${DB:-sqlite}"; RECORDS="${RECORDS:-1000000}"; ROUNDS="${ROUNDS:-200}"
APPEND="${APPEND:-50000}"; TARGET_MS="${TARGET_MS:-300}"; RECORDS_TARGET_MS="${RECORDS_TARGET_MS:-50}"; TIMEOUT="${TIMEOUT:-3600}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
GATEWAY_JAR="${GATEWAY_JAR:-$DEFAULT_GATEWAY_JAR}"; BENCH_JAR="${BENCH_JAR:-$DEFAULT_BENCH_JAR}"

use_launcher_jdk
build_jars_if_missing "$GATEWAY_JAR" "$BENCH_JAR"
PG_ARGS=()
if [[ "$DB" == postgres ]]; then
  need_tools psql
  PGDB="${KEEP_DB:-sb_dashboard_$$}"
  DATA="$BENCH_HOME/dashboard-pg-$PGDB-$RECORDS"
  if [[ -z "${KEEP_DB:-}" ]]; then
    trap 'psql -q -d postgres -c "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" >/dev/null 2>&1 || true; rm -rf "$DATA"' EXIT
  fi
  if ! psql -tA -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$PGDB'" | grep -q 1; then
    psql -q -d postgres -c "CREATE DATABASE $PGDB"
    rm -rf "$DATA"
  fi
  PG_ARGS=(--postgres "jdbc:postgresql://$PGHOST:$PGPORT/$PGDB" --pg-user "$PGUSER")
else
  DATA="$BENCH_HOME/dashboard-$RECORDS"
fi
mkdir -p "$DATA"
echo "dashboard bench ($DB): $RECORDS records, $ROUNDS rounds per call, targets p99 <=" \
  "$RECORDS_TARGET_MS ms (records) and $TARGET_MS ms (dashboard); $(uptime)"
# The gateway's jar first: the bench jar repeats some of its libraries.
timeout "$TIMEOUT" "$JAVA" -Xmx2g -cp "$GATEWAY_JAR:$BENCH_JAR" dev.switchboard.bench.DashboardQueries \
  --data "$DATA" --records "$RECORDS" --rounds "$ROUNDS" --target-ms "$TARGET_MS" \
  --records-target-ms "$RECORDS_TARGET_MS" --append "$APPEND" "${PG_ARGS[@]}"
echo "after: $(uptime)"
