#!/usr/bin/env bash
# Profiles the gateway under load with JDK Flight Recorder (async sampling, no agent needed).
#
#   bench/profile.sh [ns|s] [OUTDIR]     (default ns, bench/results/profile-<UTC timestamp>)
#
# Starts nginx from the shared kit (unless running), the gateway jar with bench/config/bench.yaml
# and JFR (settings=profile), warms up WARM seconds with wrk at CONC connections, records DUR seconds
# of the same load, then prints JFR's hot methods and allocation views and writes gateway.jfr.
# Everything it started stops at the end.
# Env: CONC [16] WARM [30] DUR [20] GW_PORT [18700] GATEWAY_JAR SWITCHBOARD_JAVA_OPTS KIT BENCH_HOME
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"; KIT="${KIT:-$ROOT/../shared/bench}"
export BENCH_HOME="${BENCH_HOME:-/tmp/switchboard-bench}"
MODE="${1:-ns}"; OUT="${2:-$BENCH/results/profile-$(date -u +%Y%m%dT%H%M%SZ)}"
CONC="${CONC:-16}"; WARM="${WARM:-30}"; DUR="${DUR:-20}"; GW_PORT="${GW_PORT:-18700}"
# The JDK the launcher runs the gateway with (JAVA_HOME when it is 21 or newer, else the newest found).
JAVA_HOME="$("$ROOT/switchboard" java-home)"; export JAVA_HOME
J="${JAVA_HOME:+$JAVA_HOME/bin/}"
GATEWAY_JAR="${GATEWAY_JAR:-$ROOT/gateway/target/switchboard-gateway-0.1.0-SNAPSHOT-all.jar}"
mkdir -p "$OUT"; OUT="$(cd "$OUT" && pwd)"
WORK="$(mktemp -d /tmp/switchboard-prof.XXXXXX)"
GW_PID=""; STOP_UPSTREAM=0
cleanup() {
  trap - EXIT INT TERM
  if [[ -n "$GW_PID" ]] && kill -0 "$GW_PID" 2>/dev/null; then
    kill -TERM "$GW_PID"; for _ in $(seq 100); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$GW_PID" 2>/dev/null || true
  fi
  (( STOP_UPSTREAM )) && "$BENCH_HOME/upstream.sh" stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 143' INT TERM

cp "$GATEWAY_JAR" "$WORK/gateway.jar"
"$KIT/bench" upstream.sh status >/dev/null 2>&1 || STOP_UPSTREAM=1
"$KIT/bench" upstream.sh start >&2
MASTER="bench-master-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
# shellcheck disable=SC2086
SWITCHBOARD_MASTER_KEY="$MASTER" setsid "${J}java" $("$ROOT/switchboard" jvm-options) -XX:+UnlockDiagnosticVMOptions \
  -XX:+DebugNonSafepoints -jar "$WORK/gateway.jar" serve --config "$BENCH/config/bench.yaml" \
  --port "$GW_PORT" --data-dir "$WORK/data" > "$OUT/gateway.log" 2>&1 < /dev/null &
GW_PID=$!
for _ in $(seq 600); do curl -fsS -m 1 -o /dev/null "http://127.0.0.1:$GW_PORT/health/ready" 2>/dev/null && break; sleep 0.1; done
KEY=""
for _ in 1 2 3 4 5; do
  KEY="$(curl -sS -m 10 -X POST "http://127.0.0.1:$GW_PORT/api/v1/keys" -H "Authorization: Bearer $MASTER" \
    -H 'Content-Type: application/json' -d '{"name":"bench"}' | jq -r '.key // empty' 2>/dev/null || true)"
  [[ -n "$KEY" ]] && break; sleep 0.5
done
[[ -n "$KEY" ]] || { echo "no inference key" >&2; exit 1; }
BODY="$BENCH/requests/nginx.json"; [[ "$MODE" == s ]] && BODY="$BENCH/requests/nginx-stream.json"
URL="http://127.0.0.1:$GW_PORT/api/v1/chat/completions"
"$BENCH_HOME/load.sh" -u "$URL" -b "$BODY" -H "Authorization: Bearer $KEY" -c "$CONC" -d "$WARM" -w 0 -l warm-up >&2
"${J}jcmd" "$GW_PID" JFR.start name=bench settings=profile filename="$OUT/gateway.jfr" >/dev/null
"$BENCH_HOME/load.sh" -u "$URL" -b "$BODY" -H "Authorization: Bearer $KEY" -c "$CONC" -d "$DUR" -w 0 \
  -p "$GW_PID" -l "profiled-$MODE-c$CONC" | tee "$OUT/load.txt" >&2
"${J}jcmd" "$GW_PID" JFR.stop name=bench >/dev/null
for v in hot-methods allocation-by-class gc-pauses; do
  echo "=== $v"; "${J}jfr" view --width 200 "$v" "$OUT/gateway.jfr" 2>/dev/null | head -40
done | tee "$OUT/views.txt"
echo "wrote $OUT/gateway.jfr $OUT/views.txt" >&2
