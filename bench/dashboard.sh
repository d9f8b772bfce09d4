#!/usr/bin/env bash
# The dashboard's API calls under a large generation log (issue 15: p99 <= 300 ms at 1 million
# records for the overview and activity calls).
#
#   bench/dashboard.sh                       (RECORDS=1000000 ROUNDS=50)
#   RECORDS=20000 ROUNDS=10 bench/dashboard.sh   (a small run, under a minute)
#
# Fills bench/local/dashboard-$RECORDS (gitignored; reused by later runs with the same RECORDS)
# through the storage's own write path, then starts the gateway on it in-process (loopback, port 0)
# and times each call of the overview and activity pages ROUNDS times, one at a time
# (dev.switchboard.bench.DashboardQueries). Prints p50, p99 and max per call. Bounded: the whole run
# stops after TIMEOUT seconds.
#
# Environment: RECORDS [1000000]  ROUNDS [50]  TARGET_MS [300]  TIMEOUT [3600]
#              GATEWAY_JAR / BENCH_JAR (default: this tree's, built when missing)
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RECORDS="${RECORDS:-1000000}"; ROUNDS="${ROUNDS:-50}"; TARGET_MS="${TARGET_MS:-300}"
TIMEOUT="${TIMEOUT:-3600}"
GATEWAY_JAR="${GATEWAY_JAR:-$DEFAULT_GATEWAY_JAR}"; BENCH_JAR="${BENCH_JAR:-$DEFAULT_BENCH_JAR}"

use_launcher_jdk
build_jars_if_missing "$GATEWAY_JAR" "$BENCH_JAR"
DATA="$BENCH_HOME/dashboard-$RECORDS"
mkdir -p "$DATA"
echo "dashboard bench: $RECORDS records in $DATA, $ROUNDS rounds per call, target p99 <= $TARGET_MS ms"
# The gateway's jar first: the bench jar repeats some of its libraries.
timeout "$TIMEOUT" "$JAVA" -Xmx2g -cp "$GATEWAY_JAR:$BENCH_JAR" dev.switchboard.bench.DashboardQueries \
  --data "$DATA" --records "$RECORDS" --rounds "$ROUNDS" --target-ms "$TARGET_MS"
