#!/usr/bin/env bash
# 10,000 streams open at once through the gateway, from a slow upstream to slow readers, while a
# second client measures ordinary requests beside them. Bounded in time; stops what it started.
#
#   bench/streams10k.sh [OUTDIR]        (default bench/results/streams-<UTC timestamp>, gitignored)
#
#   1. the simulator (127.0.0.1:$SIM_PORT) and the gateway jar with the launcher's JVM options and
#      bench/config/streams.yaml (auth, metering, generation records, access log on), a key;
#   2. the probe alone: the bench module's FixedRateLoad, PROBE_RATE non-streaming requests/s to a
#      model without delay (bench/fast), PROBE_DUR seconds -> probe-idle;
#   3. OpenStreams opens STREAMS streams (bench/slow) at OPEN_RATE a second, each paused and reading
#      one chunk every READ_MS with a RCVBUF-byte receive buffer (a slow reader). The simulator
#      answers each after TTFT_MS, then token by token, slowly enough that every stream lasts the
#      ramp plus HOLD seconds (longer when the readers are slower still, as they are with READ_MS
#      above the gap between tokens: then the gateway must hold or push back what they cannot take);
#      a stream with no byte for STALL seconds is a stall;
#   4. once all are open, the probe again, PROBE_DUR seconds -> probe-under-streams;
#   5. OpenStreams' line (opened, peak open, completed with [DONE], errors, stalls, the gateway's
#      peak RSS and CPU), the two probe lines, and a verdict: every stream held and completed, no
#      error or stall, and the probe's p99 beside the streams.
#
# Environment (defaults in brackets): STREAMS [10000] OPEN_RATE [500] HOLD [30] TTFT_MS [1000]
#   READ_MS [2000] RCVBUF [4096] STALL [10] PROBE_RATE [100] PROBE_CONNS [4] PROBE_DUR [HOLD-5, >= 5]
#   PROBE_TIMEOUT [10] (s; the probe's first request must answer within it plus 5 s)
#   GW_PORT [18710] SIM_PORT [19110] SWITCHBOARD_JAVA_OPTS (gateway, on top of ./switchboard
#   jvm-options) GATEWAY_JAR BENCH_JAR
#   UPSTREAM_PROTOCOL [http1] the gateway's upstream.protocol: http1 holds one upstream connection
#   per open stream, http2 carries many streams on each (the simulator speaks both); the summary
#   counts the gateway's connections to the simulator once all streams are open.
# The open-files limit is raised to 2 x STREAMS + 4096 over HTTP/1.1, STREAMS + 4096 over HTTP/2
# (root may raise the hard limit; otherwise raise it first: ulimit -Hn, /etc/security/limits.conf).
# Loopback only.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
OUT="${1:-$BENCH/results/streams-$(date -u +%Y%m%dT%H%M%SZ)}"
STREAMS="${STREAMS:-10000}"; OPEN_RATE="${OPEN_RATE:-500}"; HOLD="${HOLD:-30}"; TTFT_MS="${TTFT_MS:-1000}"
READ_MS="${READ_MS:-2000}"; RCVBUF="${RCVBUF:-4096}"; STALL="${STALL:-10}"
PROBE_RATE="${PROBE_RATE:-100}"; PROBE_CONNS="${PROBE_CONNS:-4}"; PROBE_TIMEOUT="${PROBE_TIMEOUT:-10}"
PROBE_DUR="${PROBE_DUR:-$(( HOLD - 5 > 5 ? HOLD - 5 : 5 ))}"
GW_PORT="${GW_PORT:-18710}"; SIM_PORT="${SIM_PORT:-19110}"; UPSTREAM_PROTOCOL="${UPSTREAM_PROTOCOL:-http1}"
[[ "$UPSTREAM_PROTOCOL" == http1 || "$UPSTREAM_PROTOCOL" == http2 ]] || {
  echo "streams10k: UPSTREAM_PROTOCOL must be http1 or http2, was '$UPSTREAM_PROTOCOL'" >&2; exit 2; }
use_launcher_jdk
GATEWAY_JAR="${GATEWAY_JAR:-$DEFAULT_GATEWAY_JAR}"; BENCH_JAR="${BENCH_JAR:-$DEFAULT_BENCH_JAR}"
mkdir -p "$OUT"; OUT="$(cd "$OUT" && pwd)"
WORK="$(mktemp -d /tmp/switchboard-streams.XXXXXX)"
log() { echo "[$(date +%H:%M:%S)] streams10k: $*" >&2; }

SIM_PID=""; GW_PID=""; LOAD_PID=""
cleanup() {
  trap - EXIT INT TERM
  stop_pid "$LOAD_PID" OpenStreams; stop_pid "$GW_PID" gateway; stop_pid "$SIM_PID" simulator
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 143' INT TERM

need_tools jq curl
build_jars_if_missing "$GATEWAY_JAR" "$BENCH_JAR"
cp "$GATEWAY_JAR" "$WORK/gateway.jar"; cp "$BENCH_JAR" "$WORK/bench.jar"
per_stream=2; [[ "$UPSTREAM_PROTOCOL" == http2 ]] && per_stream=1
raise_nofile $(( per_stream * STREAMS + 4096 ))
# The JVM raises its soft limit to the hard one; the gateway then keeps 256 and, over HTTP/1.1, takes
# half of the rest for clients (every stream also holds a connection to the upstream), over HTTP/2
# all but at most 2,048 for the upstream pools (docs/security.md).
hard="$(ulimit -Hn)"
if [[ "$hard" != unlimited ]]; then
  usable=$(( hard - 256 ))
  if [[ "$UPSTREAM_PROTOCOL" == http2 ]]; then
    allowed=$(( usable - (usable / 2 < 2048 ? usable / 2 : 2048) ))
  else
    allowed=$(( usable / 2 ))
  fi
  if (( allowed < STREAMS + PROBE_CONNS )); then
    log "WARNING: with a hard open-files limit of $hard the gateway takes at most $allowed connections over $UPSTREAM_PROTOCOL, fewer than the $STREAMS streams and the probe; raise it (ulimit -Hn as root, limits.conf, LimitNOFILE=)$( [[ "$UPSTREAM_PROTOCOL" == http1 ]] && echo ', or use UPSTREAM_PROTOCOL=http2')"
  fi
fi
for port in "$SIM_PORT" "$GW_PORT"; do
  if curl -s -o /dev/null -m 1 "http://127.0.0.1:$port/"; then log "port $port is in use; stop that process first"; exit 1; fi
done

# ---- the simulator: a slow stream for bench/slow, no delay for bench/fast ----
GW_JAVA_OPTS="$("$ROOT/switchboard" jvm-options)"
log "starting the simulator on 127.0.0.1:$SIM_PORT"
# shellcheck disable=SC2086
setsid "$JAVA" $GW_JAVA_OPTS -jar "$WORK/gateway.jar" simulator --port "$SIM_PORT" \
  > "$OUT/simulator.log" 2>&1 < /dev/null &
SIM_PID=$!
wait_http "http://127.0.0.1:$SIM_PORT/_sim/health" 60 || { log "the simulator did not start"; tail -20 "$OUT/simulator.log" >&2; exit 1; }
# How many tokens a stream has, to pace it: it should last the ramp plus HOLD seconds.
TOKENS="$(curl -fsS -m 10 -X POST "http://127.0.0.1:$SIM_PORT/p/slow/v1/chat/completions" -H 'Content-Type: application/json' \
  --data-binary @"$BENCH/requests/chat-stream.json" | sed -n 's/^data: //p' | grep -v '^\[DONE\]' | jq -s 'map(.usage.completion_tokens // empty) | last')"
[[ "$TOKENS" =~ ^[0-9]+$ ]] && (( TOKENS > 1 )) || { log "could not count the simulator's tokens (got '$TOKENS')"; exit 1; }
RAMP=$(( (STREAMS + OPEN_RATE - 1) / OPEN_RATE ))
STREAM_S=$(( RAMP + HOLD + 5 ))
TPS="$(awk -v t="$TOKENS" -v s="$STREAM_S" -v f="$TTFT_MS" 'BEGIN{printf "%.4f", (t - 1) / (s - f / 1000)}')"
curl -fsS -m 5 -X PUT "http://127.0.0.1:$SIM_PORT/_sim/latency/slow" -H 'Content-Type: application/json' \
  -d "{\"ttft_ms\":$TTFT_MS,\"tps\":$TPS}" > /dev/null
# A reader takes one chunk per READ_MS: about one per token, plus the role, finish, usage and [DONE].
READ_S=$(( ( (TOKENS + 4) * READ_MS + 999 ) / 1000 ))
log "slow stream: $TOKENS tokens, first after $TTFT_MS ms, then $TPS a second (about $STREAM_S s a stream); a reader needs about $READ_S s for it"
(( READ_S > STREAM_S )) && STREAM_S="$READ_S"

# ---- the gateway ----
sed -e "s/127\.0\.0\.1:19110/127.0.0.1:$SIM_PORT/" -e "s/max-connections: 12000/max-connections: $(( STREAMS + 2000 ))/" \
  -e "s/max-connections-per-host: 12000/max-connections-per-host: $(( STREAMS + 2000 ))/" \
  -e "s/^upstream:\$/upstream:\n  protocol: $UPSTREAM_PROTOCOL/" \
  "$BENCH/config/streams.yaml" > "$WORK/streams.yaml"
grep -q "^  protocol: $UPSTREAM_PROTOCOL\$" "$WORK/streams.yaml" || { log "could not set upstream.protocol in the copied config"; exit 1; }
cp "$WORK/streams.yaml" "$OUT/gateway.yaml"
MASTER="$(new_master_key)"
log "starting the gateway on 127.0.0.1:$GW_PORT (JVM options: $GW_JAVA_OPTS; open files: $(ulimit -Sn))"
# shellcheck disable=SC2086
SWITCHBOARD_MASTER_KEY="$MASTER" setsid "$JAVA" $GW_JAVA_OPTS -jar "$WORK/gateway.jar" serve \
  --config "$WORK/streams.yaml" --port "$GW_PORT" --data-dir "$WORK/data" > "$OUT/gateway.log" 2>&1 < /dev/null &
GW_PID=$!
wait_http "http://127.0.0.1:$GW_PORT/health/ready" 60 || { log "the gateway did not start"; tail -20 "$OUT/gateway.log" >&2; exit 1; }
KEY="$(create_key "$GW_PORT" "$MASTER")" || { log "could not create a key"; tail -20 "$OUT/gateway.log" >&2; exit 1; }
URL="http://127.0.0.1:$GW_PORT/api/v1/chat/completions"

probe() { # LABEL WARMUP: FixedRateLoad's summary line
  timeout --foreground $(( PROBE_DUR + $2 + 60 )) "$JAVA" -Xms64m -Xmx256m -XX:+UseSerialGC -jar "$WORK/bench.jar" \
    -u "$URL" -b "$BENCH/requests/streams-fast.json" -H "Authorization: Bearer $KEY" -R "$PROBE_RATE" \
    -c "$PROBE_CONNS" -d "$PROBE_DUR" -w "$2" -T "$PROBE_TIMEOUT" -p "$GW_PID" -l "$1" 2>>"$OUT/probe.log" | tail -1
}

log "probe alone: $PROBE_RATE requests/s for $PROBE_DUR s (after a 10 s warm-up)"
probe probe-idle 10 | tee "$OUT/summary.txt" >&2 || true

LIMIT=$(( STREAM_S * 2 + 60 ))
log "opening $STREAMS streams at $OPEN_RATE/s (about $RAMP s), each about $STREAM_S s; run limit $LIMIT s"
timeout --foreground $(( LIMIT + 60 )) "$JAVA" -Xms256m -Xmx1g -XX:+UseParallelGC -cp "$WORK/bench.jar" \
  dev.switchboard.bench.OpenStreams -u "$URL" -b "$BENCH/requests/streams-slow.json" \
  -H "Authorization: Bearer $KEY" -n "$STREAMS" -r "$OPEN_RATE" --read-ms "$READ_MS" --rcvbuf "$RCVBUF" \
  --stall "$STALL" -T "$LIMIT" -p "$GW_PID" -l streams > "$OUT/streams.txt" 2> "$OUT/progress.log" &
LOAD_PID=$!
for ((i = 0; i < (RAMP + 60) * 2; i++)); do
  grep -q ' all-open ' "$OUT/progress.log" 2>/dev/null && break
  kill -0 "$LOAD_PID" 2>/dev/null || break
  sleep 0.5
done
UPSTREAM_CONNS="$(ss -Htn state established "( dport = :$SIM_PORT )" 2>/dev/null | wc -l)"
if grep -q ' all-open ' "$OUT/progress.log"; then
  log "all $STREAMS streams open: $(grep ' all-open ' "$OUT/progress.log"); $UPSTREAM_CONNS gateway connections to the simulator ($UPSTREAM_PROTOCOL)"
else
  log "WARNING: the $STREAMS streams were never all open at once (see progress.log); probing anyway"
fi
log "probe beside the streams: $PROBE_RATE requests/s for $PROBE_DUR s"
probe probe-under-streams 2 | tee -a "$OUT/summary.txt" >&2 || true
log "waiting for the streams to end (at most $LIMIT s from their start)"
code=0; wait "$LOAD_PID" || code=$?
LOAD_PID=""
tail -1 "$OUT/streams.txt" | tee -a "$OUT/summary.txt" >&2
echo "# gateway VmHWM $(awk '/^VmHWM:/{printf "%.1f MB", $2/1024}' "/proc/$GW_PID/status" 2>/dev/null), VmRSS now $(awk '/^VmRSS:/{printf "%.1f MB", $2/1024}' "/proc/$GW_PID/status" 2>/dev/null); gateway log: $(grep -c ' ERROR ' "$OUT/gateway.log" || true) ERROR and $(grep -c ' WARN ' "$OUT/gateway.log" || true) WARN lines" | tee -a "$OUT/summary.txt" >&2

# ---- verdict ----
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
idle="$(grep '^probe-idle ' "$OUT/summary.txt" | tail -1)"; busy="$(grep '^probe-under-streams ' "$OUT/summary.txt" | tail -1)"
{
  echo "upstream protocol $UPSTREAM_PROTOCOL: $UPSTREAM_CONNS connections to the simulator once the streams were open"
  echo "streams: $STREAMS at once: $( ((code == 0)) && echo 'held and completed, no error or stall' || echo "NOT all held and completed cleanly (OpenStreams exit $code)"); gateway peak RSS $(field "$(tail -1 "$OUT/streams.txt")" w_rss_peak_MB) MB"
  for line in "$idle" "$busy"; do
    # FixedRateLoad prints "LABEL ERROR why" when its first request fails or takes longer than its timeout.
    [[ -z "$line" || "$line" == *" ERROR "* ]] && echo "probe without a result: ${line:-none} (see probe.log)"
  done
  echo "probe p50/p99: alone $(field "$idle" p50) / $(field "$idle" p99) ms; beside the streams $(field "$busy" p50) / $(field "$busy" p99) ms (errors $(field "$idle" err) / $(field "$busy" err), late $(field "$idle" late) / $(field "$busy" late))"
} | tee -a "$OUT/summary.txt"
log "wrote $OUT/summary.txt, streams.txt, progress.log, the logs"
exit "$code"
