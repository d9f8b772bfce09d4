#!/usr/bin/env bash
# The gateway against a direct call to the same upstream, with Portkey beside it, in one run.
#
#   bench/run.sh [OUTDIR]            (default bench/results/<UTC timestamp>, gitignored)
#
# What it does, idempotently, and undoes at the end (trap; it stops only what it started):
#   1. the shared kit's setup (wrk, nginx, jq from apt; Portkey from npm) unless already there;
#   2. nginx from the kit (127.0.0.1:18080 non-stream, :18081 stream) and Portkey (127.0.0.1:8787);
#   3. the simulator on its own at zero latency (127.0.0.1:$SIM_PORT) and the gateway jar with
#      bench/config/bench.yaml (auth, metering, generation records and access log on), plus an
#      inference key created through POST /api/v1/keys with the management key;
#   4. ROUNDS interleaved rounds of: for each mode (ns, s) and upstream (nginx, sim):
#        closed loop (the kit's load.sh, wrk) at CONCS connections, then fixed RATES (the bench
#        module's FixedRateLoad, coordinated-omission corrected) over RATE_CONNS connections,
#      for the targets direct, gateway and (nginx only) Portkey, watching each target's PID;
#   5. writes OUTDIR/summary.txt (one line per run), OUTDIR/raw.txt (wrk output), the logs, and
#      OUTDIR/report.md (medians, ratios, the two targets), which it also prints.
#
# Environment (defaults in brackets):
#   ROUNDS [2]  DUR [20]  WARM [30] (closed-loop warm-up per run, discarded)  RATE_WARM [10]
#   CONCS ["1 16 64"]  RATES ["1000 5000"]  RATE_CONNS [64]  MODES ["ns s"]  UPSTREAMS ["nginx sim"]
#   TARGETS ["direct gateway portkey"]  (Portkey only runs against nginx)
#   GW_PORT [18700]  SIM_PORT [19090]  SWITCHBOARD_JAVA_OPTS (extra JVM options for the gateway, on
#                    top of the launcher's defaults: ./switchboard jvm-options)
#   GATEWAY_JAR / BENCH_JAR  jars to use (default: this tree's, built with BUILD=auto|1|0 [auto])
#   KIT [../shared/bench, next to the repository]  BENCH_HOME [/tmp/switchboard-bench]  SETUP [1]
#   QUIET_WAIT [900]  seconds to wait, before starting, for other builds/tests (maven, surefire)
#                     to finish; every summary line also records how many were running (others=)
# Loopback only; every load run is bounded in time (timeout) and the whole script stops by itself.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/bench"
KIT="${KIT:-$ROOT/../shared/bench}"
export BENCH_HOME="${BENCH_HOME:-/tmp/switchboard-bench}"
OUT="${1:-$BENCH/results/$(date -u +%Y%m%dT%H%M%SZ)}"
ROUNDS="${ROUNDS:-2}"; DUR="${DUR:-20}"; WARM="${WARM:-30}"; RATE_WARM="${RATE_WARM:-10}"
CONCS="${CONCS-1 16 64}"; RATES="${RATES-1000 5000}"; RATE_CONNS="${RATE_CONNS:-64}"
MODES="${MODES:-ns s}"; UPSTREAMS="${UPSTREAMS:-nginx sim}"; TARGETS="${TARGETS:-direct gateway portkey}"
GW_PORT="${GW_PORT:-18700}"; SIM_PORT="${SIM_PORT:-19090}"; PORTKEY_PORT="${PORTKEY_PORT:-8787}"
QUIET_WAIT="${QUIET_WAIT:-900}"; SETUP="${SETUP:-1}"; BUILD="${BUILD:-auto}"

# The JDK the launcher runs the gateway with (JAVA_HOME when it is 21 or newer, else the newest found).
JAVA_HOME="$("$ROOT/switchboard" java-home)"; export JAVA_HOME
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
GATEWAY_JAR="${GATEWAY_JAR:-$ROOT/gateway/target/switchboard-gateway-0.1.0-SNAPSHOT-all.jar}"
BENCH_JAR="${BENCH_JAR:-$ROOT/bench/target/switchboard-bench-0.1.0-SNAPSHOT-all.jar}"

mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
WORK="$(mktemp -d /tmp/switchboard-run.XXXXXX)"
SUM="$OUT/summary.txt"; RAW="$OUT/raw.txt"
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# ---- cleanup: stop what this script started --------------------------------------------------
GW_PID=""; SIM_PID=""; STOP_UPSTREAM=0; STOP_PORTKEY=0
stop_pid() { # pid name
  local p="$1"; [[ -n "$p" ]] || return 0
  if kill -0 "$p" 2>/dev/null; then
    kill -TERM "$p" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$p" 2>/dev/null && { log "$2 did not stop in 10 s; killing"; kill -KILL "$p" 2>/dev/null || true; }
  fi
  return 0
}
cleanup() {
  trap - EXIT INT TERM
  stop_pid "$GW_PID" gateway; stop_pid "$SIM_PID" simulator
  (( STOP_PORTKEY )) && "$BENCH_HOME/portkey.sh" stop >/dev/null 2>&1 || true
  (( STOP_UPSTREAM )) && "$BENCH_HOME/upstream.sh" stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 143' INT TERM

# ---- wait for a quiet machine ---------------------------------------------------------------
others() { # other builds and test JVMs on the box (they share our 2 cores)
  pgrep -fc 'plexus-classworlds|surefirebooter|failsafebooter' 2>/dev/null || true
}
busy_pct() { # whole-machine CPU busy % over $1 seconds (100 = both cores)
  local a b
  a=($(awk '/^cpu /{t=0; for(i=2;i<=NF;i++) t+=$i; print t, $5+$6}' /proc/stat)); sleep "$1"
  b=($(awk '/^cpu /{t=0; for(i=2;i<=NF;i++) t+=$i; print t, $5+$6}' /proc/stat))
  awk -v t="$(( b[0] - a[0] ))" -v i="$(( b[1] - a[1] ))" 'BEGIN{printf "%.0f", (t > 0 ? 100 * (1 - i / t) : 0)}'
}
waited=0
while (( waited < QUIET_WAIT )) && { (( $(others) > 0 )) || (( $(busy_pct 2) > 15 )); }; do
  (( waited == 0 )) && log "waiting up to ${QUIET_WAIT}s for a quiet machine (other maven/test JVMs: $(others))"
  sleep 8; waited=$(( waited + 10 ))
done
(( $(others) > 0 )) && log "WARNING: still $(others) other maven/test JVM(s) running; results will be disturbed"

# ---- build, kit, upstreams ------------------------------------------------------------------
if [[ "$BUILD" == 1 || ( "$BUILD" == auto && ( ! -f "$GATEWAY_JAR" || ! -f "$BENCH_JAR" ) ) ]]; then
  log "building the gateway and bench jars"
  "$ROOT/mvnw" -B -q -o -f "$ROOT/pom.xml" -DskipTests -Dspotless.check.skip=true -pl gateway,bench -am package
fi
# Private copies: a rebuild in the tree during the run must not swap classes under a running JVM.
cp "$GATEWAY_JAR" "$WORK/gateway.jar"; cp "$BENCH_JAR" "$WORK/bench.jar"

if [[ "$SETUP" == 1 ]]; then
  log "shared kit setup (wrk, nginx, jq, Portkey; skipped when installed)"
  "$KIT/bench" setup > "$OUT/setup.log" 2>&1 || { tail -20 "$OUT/setup.log" >&2; exit 1; }
fi
"$KIT/bench" upstream.sh status >/dev/null 2>&1 || STOP_UPSTREAM=1
"$KIT/bench" upstream.sh start >&2
UPSTREAM_PID="$(cat "$BENCH_HOME/run/nginx.pid")"
if [[ " $TARGETS " == *" portkey "* && " $UPSTREAMS " == *" nginx "* ]]; then
  "$BENCH_HOME/portkey.sh" pid >/dev/null 2>&1 || STOP_PORTKEY=1
  "$BENCH_HOME/portkey.sh" start >&2
  "$BENCH_HOME/portkey.sh" check >/dev/null
  PORTKEY_PID="$("$BENCH_HOME/portkey.sh" pid)"
fi

wait_http() { # url seconds
  for _ in $(seq $(( $2 * 10 ))); do curl -fsS -m 1 -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

if [[ " $UPSTREAMS " == *" sim "* ]]; then
  log "starting the simulator on 127.0.0.1:$SIM_PORT"
  setsid "$JAVA" -jar "$WORK/gateway.jar" simulator --port "$SIM_PORT" > "$OUT/simulator.log" 2>&1 < /dev/null &
  SIM_PID=$!
  wait_http "http://127.0.0.1:$SIM_PORT/_sim/health" 60 || { log "simulator did not start"; cat "$OUT/simulator.log" >&2; exit 1; }
fi

MASTER="bench-master-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
# The JVM options ./switchboard serve uses (its defaults plus SWITCHBOARD_JAVA_OPTS): measure what users run.
GW_JAVA_OPTS="$("$ROOT/switchboard" jvm-options)"
log "starting the gateway on 127.0.0.1:$GW_PORT (JVM options: $GW_JAVA_OPTS)"
# shellcheck disable=SC2086
SWITCHBOARD_MASTER_KEY="$MASTER" setsid "$JAVA" $GW_JAVA_OPTS -jar "$WORK/gateway.jar" serve \
  --config "$BENCH/config/bench.yaml" --port "$GW_PORT" --data-dir "$WORK/data" \
  > "$OUT/gateway.log" 2>&1 < /dev/null &
GW_PID=$!
wait_http "http://127.0.0.1:$GW_PORT/health/ready" 60 || { log "gateway did not start"; tail -30 "$OUT/gateway.log" >&2; exit 1; }
KEY=""
for _ in 1 2 3 4 5; do # a first call can race the key cache warm-up; retry
  KEY="$(curl -sS -m 10 -X POST "http://127.0.0.1:$GW_PORT/api/v1/keys" -H "Authorization: Bearer $MASTER" \
    -H 'Content-Type: application/json' -d '{"name":"bench"}' | jq -r '.key // empty' 2>/dev/null || true)"
  [[ -n "$KEY" ]] && break; sleep 0.5
done
[[ -n "$KEY" ]] || { log "could not create an inference key"; tail -30 "$OUT/gateway.log" >&2; exit 1; }

# ---- header -------------------------------------------------------------------------------
{
  echo "# $(date -Is) host=$(hostname) cpus=$(nproc) mem=$(awk '/MemTotal/{printf "%.0fGB", $2/1048576}' /proc/meminfo) kernel=$(uname -r)"
  echo "# repo $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- gateway core api providers sse 2>/dev/null || echo '+uncommitted changes') | gateway jar $GATEWAY_JAR (sha256 $(sha256sum "$WORK/gateway.jar" | cut -c1-12), built $(date -r "$GATEWAY_JAR" -Is)) | $("$JAVA" -version 2>&1 | head -1)"
  echo "# $(wrk -v 2>&1 | head -1) | $(/usr/sbin/nginx -v 2>&1) | node $(node -v)$( [[ -n "${PORTKEY_PID:-}" ]] && echo " | portkey $(node -p "require('$BENCH_HOME/portkey/node_modules/@portkey-ai/gateway/package.json').version")")"
  echo "# ROUNDS=$ROUNDS DUR=$DUR WARM=$WARM RATE_WARM=$RATE_WARM CONCS=$CONCS RATES=$RATES RATE_CONNS=$RATE_CONNS MODES=$MODES UPSTREAMS=$UPSTREAMS TARGETS=$TARGETS GW_JAVA_OPTS=$GW_JAVA_OPTS"
} >> "$SUM"

# ---- one measurement ----------------------------------------------------------------------
# target_args UPSTREAM TARGET MODE -> URL BODY PID HDR[]
target_args() {
  local up="$1" t="$2" m="$3" sfx=""; HDR=()
  [[ "$m" == s ]] && sfx="-stream"
  case "$up:$t" in
    nginx:direct)
      PID="$UPSTREAM_PID"; BODY="$BENCH_HOME/requests/chat$sfx.json"
      if [[ "$m" == s ]]; then URL=http://127.0.0.1:18081/v1/chat/completions; else URL=http://127.0.0.1:18080/v1/chat/completions; fi ;;
    nginx:gateway)
      PID="$GW_PID"; BODY="$BENCH/requests/nginx$sfx.json"; URL="http://127.0.0.1:$GW_PORT/api/v1/chat/completions"
      HDR=(-H "Authorization: Bearer $KEY") ;;
    nginx:portkey)
      PID="$PORTKEY_PID"; BODY="$BENCH_HOME/requests/chat$sfx.json"; URL="http://127.0.0.1:$PORTKEY_PORT/v1/chat/completions"
      HDR=(-H 'Authorization: Bearer sk-bench' -H 'x-portkey-provider: openai')
      if [[ "$m" == s ]]; then HDR+=(-H 'x-portkey-custom-host: http://127.0.0.1:18081/v1')
      else HDR+=(-H 'x-portkey-custom-host: http://127.0.0.1:18080/v1'); fi ;;
    sim:direct)
      PID="$SIM_PID"; BODY="$BENCH_HOME/requests/chat$sfx.json"; URL="http://127.0.0.1:$SIM_PORT/p/bench/v1/chat/completions" ;;
    sim:gateway)
      PID="$GW_PID"; BODY="$BENCH/requests/sim$sfx.json"; URL="http://127.0.0.1:$GW_PORT/api/v1/chat/completions"
      HDR=(-H "Authorization: Bearer $KEY") ;;
    *) return 1 ;;
  esac
}

one() { # round mode upstream target point(cN|RrateXconns)
  local r="$1" m="$2" up="$3" t="$4" p="$5" line label="$t-$3"
  target_args "$up" "$t" "$m" || return 0
  kill -0 "$PID" 2>/dev/null || { log "$label: process $PID is gone"; exit 1; }
  local others_before pre_busy; others_before="$(others)"; pre_busy="$(busy_pct 1)"
  if [[ "$p" == c* ]]; then
    line="$("$BENCH_HOME/load.sh" -u "$URL" -b "$BODY" "${HDR[@]}" -c "${p#c}" -d "$DUR" -w "$WARM" \
      -p "$PID" -l "$label" -o "$RAW" 2>&1 | tail -1)" || true
  else
    local rate="${p#R}"; rate="${rate%x*}"
    local extra=(); [[ "$m" == s ]] && extra=(--stream)
    line="$(timeout --foreground $(( DUR + RATE_WARM + 90 )) "$JAVA" -Xms256m -Xmx1g -XX:+UseSerialGC \
      -jar "$WORK/bench.jar" -u "$URL" -b "$BODY" "${HDR[@]}" -R "$rate" -c "${p#*x}" -d "$DUR" \
      -w "$RATE_WARM" -p "$PID" -l "$label" "${extra[@]}" 2>>"$OUT/hdrload.log" | tail -1)" || true
    [[ -n "$line" ]] || line="$label ERROR no output from FixedRateLoad (see hdrload.log)"
  fi
  local others_now; others_now="$(others)"
  echo "round=$r mode=$m upstream=$up target=$t point=$p load=$(cut -d' ' -f1 /proc/loadavg) pre_busy=$pre_busy others=$(( others_before > others_now ? others_before : others_now )) $line" | tee -a "$SUM" >&2
}

targets_for() { # upstream -> targets that apply
  local up="$1" t out=""
  for t in $TARGETS; do [[ "$t" == portkey && "$up" != nginx ]] && continue; out+="$t "; done
  echo "$out"
}

log "measuring: $ROUNDS round(s), modes [$MODES], upstreams [$UPSTREAMS], connections [$CONCS], rates [$RATES] -> $OUT"
for r in $(seq "$ROUNDS"); do
  for m in $MODES; do
    for up in $UPSTREAMS; do
      for c in $CONCS; do for t in $(targets_for "$up"); do one "$r" "$m" "$up" "$t" "c$c"; done; done
      for R in $RATES; do for t in $(targets_for "$up"); do one "$r" "$m" "$up" "$t" "R${R}x$RATE_CONNS"; done; done
    done
  done
done

# Gateway's generation records and charges: proof that metering ran (rows written behind the path).
curl -sS -m 5 "http://127.0.0.1:$GW_PORT/api/v1/key" -H "Authorization: Bearer $KEY" > "$OUT/key-usage.json" 2>/dev/null || true
echo "# gateway VmHWM at the end: $(awk '/^VmHWM:/{printf "%.1f MB", $2/1024}' "/proc/$GW_PID/status" 2>/dev/null) | key usage: $(jq -c '.data | {usage, usage_daily}' "$OUT/key-usage.json" 2>/dev/null)" >> "$SUM"

"$JAVA" -cp "$WORK/bench.jar" dev.switchboard.bench.Report "$SUM" > "$OUT/report.md"
cat "$OUT/report.md"
log "wrote $SUM, $RAW, $OUT/report.md"
