#!/usr/bin/env bash
# Hedged requests: p99 time to first token through the gateway when the preferred endpoint turns
# slow, with hedging off, on with the endpoint's p90 as the delay (before and after that p90 has
# learned the slowness), and on with a fixed 50 ms delay, beside a direct call to the fast endpoint
# and the gateway pinned to the fast endpoint.
#
#   bench/hedge.sh [OUTDIR]        (default bench/results/hedge-<UTC timestamp>, gitignored)
#
# Loopback only (simulator on 127.0.0.1:19190, gateway on 127.0.0.1:18790); every run is bounded
# and the script stops what it started. Environment: RATE [40] CONNS [16] DUR [20] WARM [20]
# SLOW_MS [400] FAST_MS [20] QUIET_WAIT [600] (seconds to wait for other builds to finish).
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
OUT="${1:-$BENCH/results/hedge-$(date -u +%Y%m%dT%H%M%SZ)}"
RATE="${RATE:-40}"; CONNS="${CONNS:-16}"; DUR="${DUR:-20}"; WARM="${WARM:-20}"
SLOW_MS="${SLOW_MS:-400}"; FAST_MS="${FAST_MS:-20}"; QUIET_WAIT="${QUIET_WAIT:-600}"
SIM_PORT=19190; GW_PORT=18790
MASTER="sk-sb-mgmt-v1-hedge-bench-master-key"
use_launcher_jdk
GATEWAY_JAR="$DEFAULT_GATEWAY_JAR"
BENCH_JAR="$DEFAULT_BENCH_JAR"
mkdir -p "$OUT"; OUT="$(cd "$OUT" && pwd)"
SIM_PID=""; GW_PID=""
log() { echo "hedge: $*" >&2; }
cleanup() {
  # `wait` returns the killed process's status: never let that (under set -e) skip the next kill.
  for p in "$GW_PID" "$SIM_PID"; do
    [[ -n "$p" ]] || continue
    kill "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  rm -rf "$OUT/data"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

if [[ ! -f "$GATEWAY_JAR" || ! -f "$BENCH_JAR" ]]; then
  log "building the jars"
  "$ROOT/mvnw" -B -q -f "$ROOT/pom.xml" -pl gateway,bench -am package -DskipTests -Dspotless.check.skip=true
fi

# Wait for other Maven/JUnit runs to finish: they would share the two cores with the measurement.
for ((i = 0; i < QUIET_WAIT; i += 10)); do
  pgrep -f 'surefire|failsafe|plexus-classworlds' >/dev/null || break
  (( i == 0 )) && log "waiting up to ${QUIET_WAIT}s for other builds to finish"
  sleep 10
done

latency() { curl -fsS -X PUT -H 'Content-Type: application/json' \
  -d "{\"ttft_ms\":$2,\"tps\":0}" "http://127.0.0.1:$SIM_PORT/_sim/latency/$1" >/dev/null; }

for port in "$SIM_PORT" "$GW_PORT"; do
  if curl -s -o /dev/null -m 1 "http://127.0.0.1:$port/"; then
    log "port $port is already in use (a leftover run?); stop that process first"; exit 1
  fi
done
log "starting the simulator and the gateway"
setsid "$JAVA" -jar "$GATEWAY_JAR" simulator --port "$SIM_PORT" > "$OUT/simulator.log" 2>&1 < /dev/null &
SIM_PID=$!
wait_http "http://127.0.0.1:$SIM_PORT/_sim/health" 60 || { log "simulator did not start"; exit 1; }
latency hedge-fast "$FAST_MS"; latency hedge-slow "$FAST_MS"
# shellcheck disable=SC2046
SWITCHBOARD_MASTER_KEY="$MASTER" setsid "$JAVA" $("$ROOT/switchboard" jvm-options) -jar "$GATEWAY_JAR" serve --config "$BENCH/config/hedge.yaml" \
  --port "$GW_PORT" --data-dir "$OUT/data" > "$OUT/gateway.log" 2>&1 < /dev/null &
GW_PID=$!
wait_http "http://127.0.0.1:$GW_PORT/api/v1/models" 60 || { log "gateway did not start"; cat "$OUT/gateway.log" >&2; exit 1; }
KEY="$(curl -fsS -X POST -H "Authorization: Bearer $MASTER" -H 'Content-Type: application/json' \
  -d '{"name":"hedge bench"}' "http://127.0.0.1:$GW_PORT/api/v1/keys" | sed -E 's/.*"key":"([^"]+)".*/\1/')"

load() { # label url body
  timeout --foreground $(( DUR + WARM + 90 )) "$JAVA" -Xms128m -Xmx512m -XX:+UseSerialGC -jar "$BENCH_JAR" \
    -u "$2" -b "$3" -H "Authorization: Bearer $KEY" -R "$RATE" -c "$CONNS" -d "$DUR" -w "$4" \
    -l "$1" --stream 2>>"$OUT/hdrload.log" | tail -1 | tee -a "$OUT/summary.txt"
}
GW="http://127.0.0.1:$GW_PORT/api/v1/chat/completions"
REQ="$BENCH/requests"

log "warm-up: both endpoints fast (${FAST_MS} ms), ${WARM}s"
load warmup "$GW" "$REQ/hedge-none.json" 5 >/dev/null
log "the preferred endpoint turns slow (${SLOW_MS} ms to first token)"
latency hedge-slow "$SLOW_MS"
load direct-fast "http://127.0.0.1:$SIM_PORT/p/hedge-fast/v1/chat/completions" "$REQ/hedge-direct.json" 5
load gateway-fast-only "$GW" "$REQ/hedge-fast.json" 5
load hedge-p90 "$GW" "$REQ/hedge-p90.json" 0
load hedge-fixed-50ms "$GW" "$REQ/hedge-fixed.json" 0
load no-hedge "$GW" "$REQ/hedge-none.json" 0
# The slow endpoint has now served a run at its slow speed, so its own p90 has learned it: the
# default delay now waits about that long, which shows what p90 hedging is for (the tail of an
# endpoint that is usually fast) and what it is not for (an endpoint that stays slow).
load hedge-p90-after-slow-run "$GW" "$REQ/hedge-p90.json" 0

log "done; lines in $OUT/summary.txt"
awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^(ttfb_p50|ttfb_p90|ttfb_p99|p50|p99|rps|err|non2xx)=/) printf "%s ", $i; print "<- " $1 }' "$OUT/summary.txt"
