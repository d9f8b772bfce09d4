#!/usr/bin/env bash
# The gateway against a direct call to the same upstream, with Portkey beside it, in one run.
#
#   bench/run.sh [OUTDIR]            (default bench/results/<UTC timestamp>, gitignored)
#
# What it does, idempotently, and undoes at the end (trap; it stops only what it started):
#   1. bench/setup.sh for what is missing (wrk, nginx, jq from apt; Portkey from npm, pinned);
#   2. nginx (bench/upstream.sh: 127.0.0.1:18080 non-stream, :18081 stream) and Portkey
#      (bench/portkey.sh: 127.0.0.1:8787);
#   3. the simulator on its own at zero latency (127.0.0.1:$SIM_PORT) and the gateway jar with
#      bench/config/bench.yaml (auth, metering, generation records and access log on), plus an
#      inference key created through POST /api/v1/keys with the management key;
#   4. ROUNDS interleaved rounds of: for each mode (ns, s) and upstream (nginx, sim):
#        closed loop (bench/load.sh, wrk) at CONCS connections, then fixed RATES (the bench
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
#   BENCH_HOME [bench/local]  where the bench installs Portkey and keeps nginx's files (bench/lib.sh)
#   QUIET_WAIT [900]  seconds to wait, before starting, for other builds/tests (maven, surefire)
#                     to finish; every summary line also records how many were running (others=),
#                     the CPU share the host stole during the run (steal=, %) and whether the
#                     kernel logged a fork or restore of the virtual machine meanwhile (vm_forks=)
# Loopback only; every load run is bounded in time (timeout) and the whole script stops by itself.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
OUT="${1:-$BENCH/results/$(date -u +%Y%m%dT%H%M%SZ)}"
ROUNDS="${ROUNDS:-2}"; DUR="${DUR:-20}"; WARM="${WARM:-30}"; RATE_WARM="${RATE_WARM:-10}"
CONCS="${CONCS-1 16 64}"; RATES="${RATES-1000 5000}"; RATE_CONNS="${RATE_CONNS:-64}"
MODES="${MODES:-ns s}"; UPSTREAMS="${UPSTREAMS:-nginx sim}"; TARGETS="${TARGETS:-direct gateway portkey}"
GW_PORT="${GW_PORT:-18700}"; SIM_PORT="${SIM_PORT:-19090}"; PORTKEY_PORT="${PORTKEY_PORT:-8787}"
QUIET_WAIT="${QUIET_WAIT:-900}"; BUILD="${BUILD:-auto}"

use_launcher_jdk
GATEWAY_JAR="${GATEWAY_JAR:-$DEFAULT_GATEWAY_JAR}"
BENCH_JAR="${BENCH_JAR:-$DEFAULT_BENCH_JAR}"

mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
WORK="$(mktemp -d /tmp/switchboard-run.XXXXXX)"
SUM="$OUT/summary.txt"; RAW="$OUT/raw.txt"
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

# ---- cleanup: stop what this script started --------------------------------------------------
GW_PID=""; SIM_PID=""; STOP_UPSTREAM=0; STOP_PORTKEY=0
cleanup() {
  trap - EXIT INT TERM
  stop_pid "$GW_PID" gateway; stop_pid "$SIM_PID" simulator
  (( STOP_PORTKEY )) && "$BENCH/portkey.sh" stop >/dev/null 2>&1 || true
  (( STOP_UPSTREAM )) && "$BENCH/upstream.sh" stop >/dev/null 2>&1 || true
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
cpu_ticks() { # total and steal ticks since boot (/proc/stat)
  awk '/^cpu /{t=0; for(i=2;i<=NF;i++) t+=$i; print t, $9}' /proc/stat
}
vm_forks() { # how often the kernel logged that its virtual machine was forked or restored
  # (a snapshot of the whole VM by the host: every process stops for a while, clocks jump)
  { dmesg 2>/dev/null || true; } | grep -ci 'virtual machine fork' || true
}
waited=0
while (( waited < QUIET_WAIT )) && { (( $(others) > 0 )) || (( $(busy_pct 2) > 15 )); }; do
  (( waited == 0 )) && log "waiting up to ${QUIET_WAIT}s for a quiet machine (other maven/test JVMs: $(others))"
  sleep 8; waited=$(( waited + 10 ))
done
(( $(others) > 0 )) && log "WARNING: still $(others) other maven/test JVM(s) running; results will be disturbed"

# ---- build, tools, upstreams ------------------------------------------------------------------
if [[ "$BUILD" == 1 || ( "$BUILD" == auto && ( ! -f "$GATEWAY_JAR" || ! -f "$BENCH_JAR" ) ) ]]; then
  log "building the gateway and bench jars"
  "$ROOT/mvnw" -B -q -f "$ROOT/pom.xml" -DskipTests -Dspotless.check.skip=true -pl gateway,bench -am package
fi
# Private copies: a rebuild in the tree during the run must not swap classes under a running JVM.
cp "$GATEWAY_JAR" "$WORK/gateway.jar"; cp "$BENCH_JAR" "$WORK/bench.jar"

need_tools wrk nginx jq curl
"$BENCH/upstream.sh" status >/dev/null 2>&1 || STOP_UPSTREAM=1
"$BENCH/upstream.sh" start >&2
UPSTREAM_PID="$("$BENCH/upstream.sh" pid)"
if [[ " $TARGETS " == *" portkey "* && " $UPSTREAMS " == *" nginx "* ]]; then
  "$BENCH/portkey.sh" pid >/dev/null 2>&1 || STOP_PORTKEY=1
  "$BENCH/portkey.sh" start >&2   # installs Portkey first when it is missing (bench/setup.sh portkey)
  "$BENCH/portkey.sh" check >/dev/null
  PORTKEY_PID="$("$BENCH/portkey.sh" pid)"
fi

if [[ " $UPSTREAMS " == *" sim "* ]]; then
  log "starting the simulator on 127.0.0.1:$SIM_PORT"
  setsid "$JAVA" -jar "$WORK/gateway.jar" simulator --port "$SIM_PORT" > "$OUT/simulator.log" 2>&1 < /dev/null &
  SIM_PID=$!
  wait_http "http://127.0.0.1:$SIM_PORT/_sim/health" 60 || { log "simulator did not start"; cat "$OUT/simulator.log" >&2; exit 1; }
fi

MASTER="$(new_master_key)"
# The JVM options ./switchboard serve uses (its defaults plus SWITCHBOARD_JAVA_OPTS): measure what users run.
GW_JAVA_OPTS="$("$ROOT/switchboard" jvm-options)"
log "starting the gateway on 127.0.0.1:$GW_PORT (JVM options: $GW_JAVA_OPTS)"
# shellcheck disable=SC2086
SWITCHBOARD_MASTER_KEY="$MASTER" setsid "$JAVA" $GW_JAVA_OPTS -jar "$WORK/gateway.jar" serve \
  --config "$(with_upstream_ports "$BENCH/config/bench.yaml" "$WORK/bench.yaml")" --port "$GW_PORT" --data-dir "$WORK/data" \
  > "$OUT/gateway.log" 2>&1 < /dev/null &
GW_PID=$!
wait_http "http://127.0.0.1:$GW_PORT/health/ready" 60 || { log "gateway did not start"; tail -30 "$OUT/gateway.log" >&2; exit 1; }
KEY="$(create_key "$GW_PORT" "$MASTER")" || { log "could not create an inference key"; tail -30 "$OUT/gateway.log" >&2; exit 1; }

# ---- header -------------------------------------------------------------------------------
{
  echo "# $(date -Is) host=$(hostname) cpus=$(nproc) mem=$(awk '/MemTotal/{printf "%.0fGB", $2/1048576}' /proc/meminfo) kernel=$(uname -r)"
  echo "# repo $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- gateway core api providers sse 2>/dev/null || echo '+uncommitted changes') | gateway jar $GATEWAY_JAR (sha256 $(sha256sum "$WORK/gateway.jar" | cut -c1-12), built $(date -r "$GATEWAY_JAR" -Is)) | $("$JAVA" -version 2>&1 | head -1)"
  echo "# $(wrk -v 2>&1 | head -1) | $("$(nginx_bin)" -v 2>&1) | node $(node -v 2>/dev/null || echo none)$( [[ -n "${PORTKEY_PID:-}" ]] && echo " | portkey $(node -p "require('$BENCH_HOME/portkey/node_modules/@portkey-ai/gateway/package.json').version")")"
  echo "# ROUNDS=$ROUNDS DUR=$DUR WARM=$WARM RATE_WARM=$RATE_WARM CONCS=$CONCS RATES=$RATES RATE_CONNS=$RATE_CONNS MODES=$MODES UPSTREAMS=$UPSTREAMS TARGETS=$TARGETS GW_JAVA_OPTS=$GW_JAVA_OPTS"
} >> "$SUM"

# ---- one measurement ----------------------------------------------------------------------
# target_args UPSTREAM TARGET MODE -> URL BODY PID HDR[]
target_args() {
  local up="$1" t="$2" m="$3" sfx=""; HDR=()
  [[ "$m" == s ]] && sfx="-stream"
  case "$up:$t" in
    nginx:direct)
      PID="$UPSTREAM_PID"; BODY="$BENCH/requests/chat$sfx.json"
      if [[ "$m" == s ]]; then URL=http://127.0.0.1:$UP_SSE_PORT/v1/chat/completions; else URL=http://127.0.0.1:$UP_PORT/v1/chat/completions; fi ;;
    nginx:gateway)
      PID="$GW_PID"; BODY="$BENCH/requests/nginx$sfx.json"; URL="http://127.0.0.1:$GW_PORT/api/v1/chat/completions"
      HDR=(-H "Authorization: Bearer $KEY") ;;
    nginx:portkey)
      PID="$PORTKEY_PID"; BODY="$BENCH/requests/chat$sfx.json"; URL="http://127.0.0.1:$PORTKEY_PORT/v1/chat/completions"
      HDR=(-H 'Authorization: Bearer sk-bench' -H 'x-portkey-provider: openai')
      if [[ "$m" == s ]]; then HDR+=(-H "x-portkey-custom-host: http://127.0.0.1:$UP_SSE_PORT/v1")
      else HDR+=(-H "x-portkey-custom-host: http://127.0.0.1:$UP_PORT/v1"); fi ;;
    sim:direct)
      PID="$SIM_PID"; BODY="$BENCH/requests/chat$sfx.json"; URL="http://127.0.0.1:$SIM_PORT/p/bench/v1/chat/completions" ;;
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
  local others_before pre_busy ticks_before forks_before
  others_before="$(others)"; pre_busy="$(busy_pct 1)"
  ticks_before=($(cpu_ticks)); forks_before="$(vm_forks)"
  if [[ "$p" == c* ]]; then
    line="$("$BENCH/load.sh" -u "$URL" -b "$BODY" "${HDR[@]}" -c "${p#c}" -d "$DUR" -w "$WARM" \
      -p "$PID" -l "$label" -o "$RAW" 2>&1 | tail -1)" || true
  else
    local rate="${p#R}"; rate="${rate%x*}"
    local extra=(); [[ "$m" == s ]] && extra=(--stream)
    line="$(timeout --foreground $(( DUR + RATE_WARM + 90 )) "$JAVA" -Xms256m -Xmx1g -XX:+UseSerialGC \
      -jar "$WORK/bench.jar" -u "$URL" -b "$BODY" "${HDR[@]}" -R "$rate" -c "${p#*x}" -d "$DUR" \
      -w "$RATE_WARM" -p "$PID" -l "$label" "${extra[@]}" 2>>"$OUT/hdrload.log" | tail -1)" || true
    [[ -n "$line" ]] || line="$label ERROR no output from FixedRateLoad (see hdrload.log)"
  fi
  local others_now ticks_now steal; others_now="$(others)"; ticks_now=($(cpu_ticks))
  steal="$(awk -v t="$(( ticks_now[0] - ticks_before[0] ))" -v s="$(( ticks_now[1] - ticks_before[1] ))" 'BEGIN{printf "%.1f", (t > 0 ? 100 * s / t : 0)}')"
  echo "round=$r mode=$m upstream=$up target=$t point=$p load=$(cut -d' ' -f1 /proc/loadavg) pre_busy=$pre_busy others=$(( others_before > others_now ? others_before : others_now )) steal=$steal vm_forks=$(( $(vm_forks) - forks_before )) $line" | tee -a "$SUM" >&2
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
