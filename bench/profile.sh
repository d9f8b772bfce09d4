#!/usr/bin/env bash
# Profiles the gateway under load with JDK Flight Recorder (async sampling, no agent needed).
#
#   bench/profile.sh [ns|s] [OUTDIR]     (default ns, bench/results/profile-<UTC timestamp>)
#
# Starts nginx (bench/upstream.sh, unless running), the gateway jar with bench/config/bench.yaml
# and JFR (settings=profile), warms up WARM seconds with wrk at CONC connections, records DUR seconds
# of the same load, then prints JFR's hot methods and allocation views and writes gateway.jfr.
# Everything it started stops at the end.
# Env: CONC [16] WARM [30] DUR [20] GW_PORT [18700] GATEWAY_JAR SWITCHBOARD_JAVA_OPTS BENCH_HOME
#      GW_CONFIG [bench/config/bench.yaml]  BENCH_CONFIG (same as GW_CONFIG)  BENCH_KEY_BODY (the key's JSON; add "limit" to bill a budget)
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MODE="${1:-ns}"; OUT="${2:-$BENCH/results/profile-$(date -u +%Y%m%dT%H%M%SZ)}"
CONC="${CONC:-16}"; WARM="${WARM:-30}"; DUR="${DUR:-20}"; GW_PORT="${GW_PORT:-18700}"
use_launcher_jdk
J="$JAVA_HOME/bin/"
GATEWAY_JAR="${GATEWAY_JAR:-$DEFAULT_GATEWAY_JAR}"
build_jars_if_missing "$GATEWAY_JAR"
mkdir -p "$OUT"; OUT="$(cd "$OUT" && pwd)"
WORK="$(mktemp -d /tmp/switchboard-prof.XXXXXX)"
GW_PID=""; STOP_UPSTREAM=0
cleanup() {
  trap - EXIT INT TERM
  if [[ -n "$GW_PID" ]] && kill -0 "$GW_PID" 2>/dev/null; then
    kill -TERM "$GW_PID"; for _ in $(seq 100); do kill -0 "$GW_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$GW_PID" 2>/dev/null || true
  fi
  (( STOP_UPSTREAM )) && "$BENCH/upstream.sh" stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 143' INT TERM

cp "$GATEWAY_JAR" "$WORK/gateway.jar"
need_tools wrk nginx jq curl
"$BENCH/upstream.sh" status >/dev/null 2>&1 || STOP_UPSTREAM=1
"$BENCH/upstream.sh" start >&2
MASTER="$(new_master_key)"
# shellcheck disable=SC2086
SWITCHBOARD_MASTER_KEY="$MASTER" setsid "${J}java" $("$ROOT/switchboard" jvm-options) -XX:+UnlockDiagnosticVMOptions \
  -XX:+DebugNonSafepoints -jar "$WORK/gateway.jar" serve --config "$(with_upstream_ports "${GW_CONFIG:-${BENCH_CONFIG:-$BENCH/config/bench.yaml}}" "$WORK/gateway.yaml")" \
  --port "$GW_PORT" --data-dir "$WORK/data" > "$OUT/gateway.log" 2>&1 < /dev/null &
GW_PID=$!
wait_http "http://127.0.0.1:$GW_PORT/health/ready" 60 || { echo "gateway did not start" >&2; tail -20 "$OUT/gateway.log" >&2; exit 1; }
KEY="$(create_key "$GW_PORT" "$MASTER")" || { echo "no inference key" >&2; exit 1; }
BODY="$BENCH/requests/nginx.json"; [[ "$MODE" == s ]] && BODY="$BENCH/requests/nginx-stream.json"
URL="http://127.0.0.1:$GW_PORT/api/v1/chat/completions"
"$BENCH/load.sh" -u "$URL" -b "$BODY" -H "Authorization: Bearer $KEY" -c "$CONC" -d "$WARM" -w 0 -l warm-up >&2
"${J}jcmd" "$GW_PID" JFR.start name=bench settings=profile filename="$OUT/gateway.jfr" >/dev/null
"$BENCH/load.sh" -u "$URL" -b "$BODY" -H "Authorization: Bearer $KEY" -c "$CONC" -d "$DUR" -w 0 \
  -p "$GW_PID" -l "profiled-$MODE-c$CONC" | tee "$OUT/load.txt" >&2
"${J}jcmd" "$GW_PID" JFR.stop name=bench >/dev/null
for v in hot-methods allocation-by-class gc-pauses; do
  echo "=== $v"; "${J}jfr" view --width 200 "$v" "$OUT/gateway.jfr" 2>/dev/null | head -40
done | tee "$OUT/views.txt"
echo "wrote $OUT/gateway.jfr $OUT/views.txt" >&2
