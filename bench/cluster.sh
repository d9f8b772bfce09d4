#!/usr/bin/env bash
# One node in cluster mode (PostgreSQL + Redis) against one node on SQLite: the same jar twice,
# interleaved, under the same non-streaming load (bench/ab.sh). Issue 12's bar: B/A >= 0.70 at 16
# and 64 connections.
#
#   bench/cluster.sh [JAR] [OUTDIR]      (default: the built gateway jar; bench/results/cluster-<UTC>)
#
# A = SQLite in its own data folder. B = storage.kind postgres on a database of its own
# (CREATE DATABASE sb_bench_<random> on PG_ADMIN_URL, dropped afterwards) and cluster.redis on a
# private redis-server started on a free port (killed afterwards), so the machine's shared Redis
# and databases are not touched. The key has a spend limit, so every request on B is admitted
# against Redis: most from the node's advance on the key's budget (ADR 0006, second amendment),
# the rest with one round trip; BENCH_KEY_BODY='{"name":"bench"}' takes Redis off the path.
# Env: POINTS ["ns:16 ns:64"]  ROUNDS [3]  DUR [15]  WARM [5]  INITIAL_WARM [30]
#      PG_HOST [127.0.0.1]  PG_PORT [5432]  PG_USER [postgres] (trust or ~/.pgpass; the database is
#      made and dropped with psql)
#      PG_URL_PARAMS (more JDBC URL parameters for B, URL-encoded, e.g.
#      options=-c%20synchronous_commit%3Doff for commits without a WAL flush wait)
#      STORAGE [postgres] (sqlite keeps B on SQLite: Redis alone against none)
#      everything bench/ab.sh reads.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
JAR="${1:-$DEFAULT_GATEWAY_JAR}"; OUT="${2:-$BENCH/results/cluster-$(date -u +%Y%m%dT%H%M%SZ)}"
[[ -f "$JAR" ]] || { echo "no jar at $JAR (./mvnw -pl gateway -am package -DskipTests)" >&2; exit 2; }
STORAGE="${STORAGE:-postgres}"
PG_HOST="${PG_HOST:-127.0.0.1}"; PG_PORT="${PG_PORT:-5432}"; PG_USER="${PG_USER:-postgres}"
psql_() { psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "$1" >/dev/null; }
for t in redis-server psql python3; do
  command -v "$t" >/dev/null || { echo "$t is missing (apt-get install redis-server postgresql-client)" >&2; exit 2; }
done
REDIS_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
DB="sb_bench_$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
REDIS_PID=""
cleanup() {
  [[ -n "$REDIS_PID" ]] && kill -KILL "$REDIS_PID" 2>/dev/null || true
  [[ "$STORAGE" == postgres ]] && psql_ "DROP DATABASE IF EXISTS $DB" 2>/dev/null || true
}
trap cleanup EXIT

redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize no \
  > /dev/null 2>&1 &
REDIS_PID=$!
B_ENV="SWITCHBOARD_REDIS_URL=redis://127.0.0.1:$REDIS_PORT"
if [[ "$STORAGE" == postgres ]]; then
  psql_ "CREATE DATABASE $DB"
  B_ENV="$B_ENV SWITCHBOARD_STORAGE_KIND=postgres"
  B_ENV="$B_ENV SWITCHBOARD_STORAGE_URL=jdbc:postgresql://$PG_HOST:$PG_PORT/$DB?user=$PG_USER${PG_URL_PARAMS:+&$PG_URL_PARAMS}"
fi
echo "B: $B_ENV" >&2
export B_ENV
export BENCH_KEY_BODY="${BENCH_KEY_BODY:-{\"name\":\"bench\",\"limit\":1000000\}}"
export POINTS="${POINTS:-ns:16 ns:64}"
"$BENCH/ab.sh" "$JAR" "$JAR" "$OUT"
# B must really have run in cluster mode: its readiness named Redis, and it logged its storage.
grep -qi "Connected to Redis" "$OUT/gateway-B.log" || { echo "B never connected to Redis" >&2; exit 1; }
if [[ "$STORAGE" == postgres ]]; then
  grep -qi "postgres" "$OUT/gateway-B.log" || { echo "B did not run on PostgreSQL (is storage.kind built?)" >&2; exit 1; }
fi
echo "target: B/A >= 0.70 at ns:16 and ns:64 ($OUT/ab-medians.txt)"
