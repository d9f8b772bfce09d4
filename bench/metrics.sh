#!/usr/bin/env bash
# What metrics and traces cost (issue 15's bar: a /metrics scrape within 50 ms; metrics and tracing
# with sampling off within 3 % of non-streaming throughput).
#
#   bench/metrics.sh scrape [JAR]          one gateway (bench/config/bench.yaml, nginx upstream) under
#                                          LOAD_DUR s of load, then SCRAPES timed scrapes of /metrics
#                                          while the load goes on; prints median, p99 and max in ms
#   bench/metrics.sh ab [JAR] [OUTDIR]     bench/ab.sh with the same jar twice: A with metrics off and
#                                          no tracing, B with metrics on and tracing on (OTLP exporter,
#                                          OTEL_TRACES_SAMPLER=always_off); B/A is the cost. Many short
#                                          interleaved rounds (ROUNDS 12, DUR 8 s): read the A and B
#                                          "us/req" columns (the gateway's CPU per request) beside B/A
#   bench/metrics.sh cost [ROUNDS [N [CPU_US]]]  in-process (dev.switchboard.server.telemetry.
#                                          TelemetryCost): the observer's per-request calls timed in CPU
#                                          ns and bytes per request with metrics off, on, and on with
#                                          tracing (sampling off), and their share of CPU_US [190] us,
#                                          the gateway's CPU per request; then a catalog-wide scrape's
#                                          series, bytes and CPU ms. Resolves far below 3 % on a busy box
# Env: SCRAPES [200]  LOAD_DUR [30]  UPSTREAM_PORT / UPSTREAM_SSE_PORT (scrape: nginx on other ports
#      than 18080/18081, the config's base URL rewritten to match)  and, for ab, bench/ab.sh's POINTS [ns:16 ns:64] ROUNDS [12]
#      DUR [8] WARM [2]
# Run scrape and ab on a quiet machine: on a loaded one their numbers mean nothing.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MODE="${1:-}"; JAR="${2:-$DEFAULT_GATEWAY_JAR}"
[[ "$MODE" == scrape || "$MODE" == ab || "$MODE" == cost ]] || { sed -n '2,24p' "$0" >&2; exit 2; }
if [[ "$MODE" == cost ]]; then
  build_jars_if_missing "$DEFAULT_GATEWAY_JAR" "$DEFAULT_BENCH_JAR"
  use_launcher_jdk
  echo "# $(date -Is) $(uptime)"
  # The gateway's jar first: the bench jar repeats some of its libraries.
  exec "$JAVA" -Xmx512m -cp "$DEFAULT_GATEWAY_JAR:$DEFAULT_BENCH_JAR" \
    dev.switchboard.server.telemetry.TelemetryCost "${2:-30}" "${3:-200000}" "${4:-190}"
fi
build_jars_if_missing "$JAR"
WORK="$(mktemp -d /tmp/switchboard-metrics.XXXXXX)"

if [[ "$MODE" == ab ]]; then
  trap 'rm -rf "$WORK"' EXIT
  { cat "$BENCH/config/bench.yaml"; printf '\nmetrics:\n  enabled: false\n'; } > "$WORK/no-metrics.yaml"
  A_CONFIG="$WORK/no-metrics.yaml" \
  B_ENV="OTEL_TRACES_EXPORTER=otlp OTEL_TRACES_SAMPLER=always_off OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318" \
  POINTS="${POINTS:-ns:16 ns:64}" ROUNDS="${ROUNDS:-12}" DUR="${DUR:-8}" WARM="${WARM:-2}" \
    "$BENCH/ab.sh" "$JAR" "$JAR" "${3:-$BENCH/results/metrics-ab-$(date -u +%Y%m%dT%H%M%SZ)}"
  echo "(A: metrics off, no tracing; B: metrics on, tracing on with sampling off)"
  exit 0
fi

need_tools wrk nginx jq curl
use_launcher_jdk
SCRAPES="${SCRAPES:-200}"; LOAD_DUR="${LOAD_DUR:-30}"; PORT=18703; PID=""; LOAD=""; STOP_UPSTREAM=0
cleanup() {
  [[ -n "$LOAD" ]] && kill "$LOAD" 2>/dev/null || true
  stop_pid "$PID" gateway
  (( STOP_UPSTREAM )) && "$BENCH/upstream.sh" stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
"$BENCH/upstream.sh" status >/dev/null 2>&1 || STOP_UPSTREAM=1
"$BENCH/upstream.sh" start >&2
master="$(new_master_key)"
CONFIG="$BENCH/config/bench.yaml"
if [[ -n "${UPSTREAM_PORT:-}" ]]; then
  sed "s#127.0.0.1:18080/#127.0.0.1:$UPSTREAM_PORT/#" "$CONFIG" > "$WORK/bench.yaml"; CONFIG="$WORK/bench.yaml"
fi
# shellcheck disable=SC2046
SWITCHBOARD_MASTER_KEY="$master" setsid "$JAVA" $("$ROOT/switchboard" jvm-options) -jar "$JAR" serve \
  --config "$CONFIG" --port "$PORT" --data-dir "$WORK/data" > "$WORK/gateway.log" 2>&1 < /dev/null &
PID=$!
wait_http "http://127.0.0.1:$PORT/health/ready" 60 || { tail -20 "$WORK/gateway.log" >&2; exit 1; }
key="$(create_key "$PORT" "$master")"
"$BENCH/load.sh" -u "http://127.0.0.1:$PORT/api/v1/chat/completions" -b "$BENCH/requests/nginx.json" \
  -H "Authorization: Bearer $key" -c 16 -d "$LOAD_DUR" -w 0 -l load > "$WORK/load.txt" 2>&1 &
LOAD=$!
sleep 5 # every series exists once the first requests are through
for _ in $(seq "$SCRAPES"); do
  curl -sS -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $master" \
    "http://127.0.0.1:$PORT/metrics"
done | sort -n | awk '{ ms[NR] = $1 * 1000 } END {
  printf "scrapes=%d median_ms=%.1f p99_ms=%.1f max_ms=%.1f (target: p99 <= 50)\n", NR,
    ms[int((NR + 1) / 2)], ms[int(NR * 0.99 + 0.999)], ms[NR] }'
curl -sS -H "Authorization: Bearer $master" "http://127.0.0.1:$PORT/metrics" | wc -c | awk '{ print "scrape_bytes=" $1 }'
wait "$LOAD" 2>/dev/null || true; LOAD=""
tail -1 "$WORK/load.txt"
