#!/usr/bin/env bash
# Growth: the gateway on PostgreSQL with RECORDS generation records (and as many ledger rows) in
# its database; measures GET /generation?id= and GET /activity (p50/p99, target p99 <= 50 ms) and
# the pruning of a retention. Issue 12, docs/performance.md.
#
#   bench/records.sh                      RECORDS=1000000 by default (the coordinator's run)
#   RECORDS=20000 REQUESTS=300 bench/records.sh    (a quick check)
#
# What it does, and undoes at the end (trap; it stops and drops only what it made):
#   1. creates the database sb_records_<pid> on PostgreSQL at PGHOST:PGPORT (user PGUSER);
#   2. starts the gateway jar on it (storage.kind: postgres) on GW_PORT, with a fresh master key,
#      and creates an inference key through the API;
#   3. fills RECORDS generation records over DAYS days and 8 models for that key, their ledger rows
#      and the daily roll-ups, with SQL (generate_series: minutes for a million, not hours);
#   4. runs the bench module's RecordQueries (sequential requests over one connection, warm-up
#      discarded) and prints one line per query; exit status 1 when a p99 is above TARGET_MS.
#
# Environment [defaults]: RECORDS [1000000] DAYS [30] REQUESTS [2000] TARGET_MS [50]
#   PGHOST [127.0.0.1] PGPORT [5432] PGUSER [postgres] GW_PORT [18710]
#   GATEWAY_JAR / BENCH_JAR (default: this tree's, built when missing)
# Needs psql, curl and jq. Loopback only; bounded (each request times out after 30 s).
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RECORDS="${RECORDS:-1000000}"; DAYS="${DAYS:-30}"; REQUESTS="${REQUESTS:-2000}"
TARGET_MS="${TARGET_MS:-50}"; GW_PORT="${GW_PORT:-18710}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
GATEWAY_JAR="${GATEWAY_JAR:-$DEFAULT_GATEWAY_JAR}"; BENCH_JAR="${BENCH_JAR:-$DEFAULT_BENCH_JAR}"
need_tools psql curl jq
use_launcher_jdk
build_jars_if_missing "$GATEWAY_JAR" "$BENCH_JAR"

DB="sb_records_$$"
WORK="$(mktemp -d)"
GW_PID=""
cleanup() {
  stop_pid "$GW_PID" gateway
  psql -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

psql -q -d postgres -c "CREATE DATABASE $DB"
MASTER="$(new_master_key)"
cat >"$WORK/records.yaml" <<YAML
server: {port: $GW_PORT}
storage:
  kind: postgres
  url: "jdbc:postgresql://$PGHOST:$PGPORT/$DB"
  user: $PGUSER
log: {access: false}
YAML
SWITCHBOARD_MASTER_KEY="$MASTER" "$JAVA" -jar "$GATEWAY_JAR" serve --config "$WORK/records.yaml" \
  --data-dir "$WORK/data" >"$WORK/gateway.log" 2>&1 &
GW_PID=$!
wait_http "http://127.0.0.1:$GW_PORT/health/ready" 90 || { cat "$WORK/gateway.log"; exit 1; }
KEY="$(create_key "$GW_PORT" "$MASTER")"
HASH="$(printf '%s' "$KEY" | sha256sum | cut -d' ' -f1)"

echo "filling $RECORDS records over $DAYS days"
start=$(date +%s)
psql -q -v ON_ERROR_STOP=1 -d "$DB" <<SQL
INSERT INTO generations (id, request_id, key_hash, model, provider_name, provider_slug,
  created_at_us, total_cost_nanos, streamed, cancelled, latency_ms, finish_reason, tokens_prompt,
  tokens_completion, native_tokens_prompt, native_tokens_completion, is_byok, api_type, origin)
SELECT 'gen-bench-' || g, 'req-' || g, '$HASH', 'bench/model-' || (g % 8), 'Bench', 'bench',
  (extract(epoch FROM now()) * 1000000)::bigint - (g::bigint * $DAYS * 86400000000 / $RECORDS),
  1000 + g % 5000, g % 2 = 0, false, 100 + g % 900, 'stop', 100, 50, 100, 50, false,
  'completions', ''
FROM generate_series(0, $RECORDS - 1) AS g;
INSERT INTO key_usage_ledger (key_hash, day, at_us, cost_nanos, byok_nanos, generation_id)
SELECT key_hash, to_timestamp(created_at_us / 1000000.0)::date, created_at_us, total_cost_nanos, 0, id
FROM generations WHERE id LIKE 'gen-bench-%';
INSERT INTO key_usage_daily (key_hash, day, cost_nanos, byok_nanos, charges)
SELECT key_hash, day, SUM(cost_nanos), 0, COUNT(*) FROM key_usage_ledger GROUP BY key_hash, day
ON CONFLICT (key_hash, day) DO UPDATE SET cost_nanos = excluded.cost_nanos, charges = excluded.charges;
INSERT INTO usage_rollup (day, key_hash, model, provider_name, app_referer, requests,
  prompt_tokens, completion_tokens, reasoning_tokens, cost_nanos, byok_nanos)
SELECT to_timestamp(created_at_us / 1000000.0)::date, key_hash, model, provider_name, '', COUNT(*),
  SUM(tokens_prompt), SUM(tokens_completion), 0, SUM(total_cost_nanos), 0
FROM generations WHERE id LIKE 'gen-bench-%' GROUP BY 1, 2, 3, 4
ON CONFLICT DO NOTHING;
ANALYZE;
SQL
echo "filled in $(( $(date +%s) - start )) s: $(psql -tA -d "$DB" -c 'SELECT COUNT(*) FROM generations') records," \
  "$(psql -tA -d "$DB" -c 'SELECT pg_size_pretty(pg_database_size(current_database()))')"

"$JAVA" -cp "$BENCH_JAR" dev.switchboard.bench.RecordQueries "http://127.0.0.1:$GW_PORT/api/v1" \
  "$KEY" "$MASTER" "$HASH" "$RECORDS" "$REQUESTS" "$TARGET_MS"
