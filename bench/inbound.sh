#!/usr/bin/env bash
# The inbound APIs against chat completions over the same upstream: POST /responses (whole and
# streamed) beside POST /chat/completions with the same prompt (the bar: within 15 % of its
# throughput), and POST /embeddings with batches of 100 inputs through the gateway beside the same
# batch sent straight to the upstream, for the OpenAI-compatible and the Gemini embeddings APIs
# (the difference of the medians is the time the gateway adds).
#
#   bench/inbound.sh [OUTDIR]      (default bench/results/inbound-<UTC timestamp>, gitignored)
#
# Upstream: the standalone simulator at zero latency (127.0.0.1:19290); gateway on 127.0.0.1:18890
# with bench/config/inbound.yaml (GATEWAY_JAR: another build). Each measurement is bench/load.sh (wrk,
# closed loop). Environment:
# CONC [16] DUR [20] WARM [5] QUIET_WAIT [600], ONLY (embeddings: the embeddings points only;
# responses: the /responses points only), ROUNDS [1] (interleaved rounds; the order of each pair
# alternates from round to round; ratios are taken within a round, then the median),
# INITIAL_WARM [0] (seconds of chat and of /responses, each, before the first round),
# PREWARM [0] (seconds of one-input embeddings batches through the gateway before the embeddings
# points: at about 65 batches a second the JIT is still compiling the request path minutes after the
# start, 15 to 30 % of the gateway's CPU in a profile; one-input batches run it 25 times as often),
# EMB_LATENCY_MS ["0"] (the simulator's time to answer an embeddings batch, one or more values: 0 is
# an upstream with no compute, where the simulator, wrk and the gateway share the two cores; a
# real embedding model takes tens to hundreds of milliseconds a batch on hardware of its own).
# A smoke run: DUR=5 WARM=2 bench/inbound.sh.
# Loopback only; every run is bounded and the script stops what it started.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
OUT="${1:-$BENCH/results/inbound-$(date -u +%Y%m%dT%H%M%SZ)}"
CONC="${CONC:-16}"; DUR="${DUR:-20}"; WARM="${WARM:-5}"; QUIET_WAIT="${QUIET_WAIT:-600}"
ONLY="${ONLY:-}"; PREWARM="${PREWARM:-0}"; ROUNDS="${ROUNDS:-1}"; INITIAL_WARM="${INITIAL_WARM:-0}"
EMB_LATENCY_MS="${EMB_LATENCY_MS:-0}"
SIM_PORT=19290; GW_PORT=18890
use_launcher_jdk
need_tools wrk curl jq
build_jars_if_missing "$DEFAULT_GATEWAY_JAR"
GATEWAY_JAR="${GATEWAY_JAR:-$DEFAULT_GATEWAY_JAR}"
mkdir -p "$OUT"; OUT="$(cd "$OUT" && pwd)"
SIM_PID=""; GW_PID=""
log() { echo "inbound: $*" >&2; }
cleanup() {
  stop_pid "$GW_PID" gateway; stop_pid "$SIM_PID" simulator
  rm -rf "$OUT/data"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

for ((i = 0; i < QUIET_WAIT; i += 10)); do
  pgrep -f 'surefire|failsafe|plexus-classworlds' >/dev/null || break
  (( i == 0 )) && log "waiting up to ${QUIET_WAIT}s for other builds to finish"
  sleep 10
done
for port in "$SIM_PORT" "$GW_PORT"; do
  if curl -s -o /dev/null -m 1 "http://127.0.0.1:$port/"; then
    log "port $port is already in use (a leftover run?); stop that process first"; exit 1
  fi
done

log "starting the simulator and the gateway"
setsid "$JAVA" -jar "$GATEWAY_JAR" simulator --port "$SIM_PORT" > "$OUT/simulator.log" 2>&1 < /dev/null &
SIM_PID=$!
wait_http "http://127.0.0.1:$SIM_PORT/_sim/health" 60 || { log "simulator did not start"; exit 1; }
MASTER="$(new_master_key)"
# shellcheck disable=SC2046
SWITCHBOARD_MASTER_KEY="$MASTER" setsid "$JAVA" $("$ROOT/switchboard" jvm-options) -jar "$GATEWAY_JAR" serve \
  --config "$BENCH/config/inbound.yaml" --port "$GW_PORT" --data-dir "$OUT/data" > "$OUT/gateway.log" 2>&1 < /dev/null &
GW_PID=$!
wait_http "http://127.0.0.1:$GW_PORT/api/v1/models" 60 || { log "gateway did not start"; cat "$OUT/gateway.log" >&2; exit 1; }
KEY="$(create_key "$GW_PORT" "$MASTER")"

GW="http://127.0.0.1:$GW_PORT/api/v1"
SIM="http://127.0.0.1:$SIM_PORT"
REQ="$BENCH/requests"
: > "$OUT/summary.txt"
run() { # LABEL URL BODY [auth] [TAG]: one measurement; its line is LABEL TAG ...
  local hdr=()
  [[ "${4:-}" == auth ]] && hdr=(-H "Authorization: Bearer $KEY")
  "$BENCH/load.sh" -u "$2" -b "$3" "${hdr[@]}" -c "$CONC" -d "$DUR" -w "$WARM" -p "$GW_PID" -l "$1" \
    | sed "s/^$1 /$1 ${5:-round=1} /" | tee -a "$OUT/summary.txt"
}

pair_rounds() { # A B URL_A BODY_A URL_B BODY_B [auth]: ROUNDS interleaved rounds, A and B alternating
  local r
  for ((r = 1; r <= ROUNDS; r++)); do
    if (( r % 2 == 1 )); then
      run "$1" "$3" "$4" "${7:-}" "round=$r"; run "$2" "$5" "$6" "${7:-}" "round=$r"
    else
      run "$2" "$5" "$6" "${7:-}" "round=$r"; run "$1" "$3" "$4" "${7:-}" "round=$r"
    fi
  done
}
values() { sed -nE "s/^$1 .* $2=([0-9.]+).*/\1/p" "$OUT/summary.txt"; } # LABEL FIELD: one a round
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
med() { values "$1" "$2" | median; } # LABEL FIELD: its median over the rounds
ratio() { # A B FIELD: the median of the per-round ratios A/B, and the ratios
  local r
  r="$(paste <(values "$1" "$3") <(values "$2" "$3") | awk '{printf "%.3f\n", $1 / $2}' | sort -g)"
  printf "%.3f (rounds, lowest first: %s)" "$(median <<< "$r")" "$(paste -sd, <<< "$r" | sed 's/,/, /g')"
}

if [[ "$ONLY" != embeddings ]]; then
  if (( INITIAL_WARM > 0 )); then
    log "warming chat and /responses for ${INITIAL_WARM}s each"
    for w in "$GW/chat/completions $REQ/sim.json" "$GW/responses $REQ/responses.json" \
             "$GW/chat/completions $REQ/sim-stream.json" "$GW/responses $REQ/responses-stream.json"; do
      set -- $w
      "$BENCH/load.sh" -u "$1" -b "$2" -H "Authorization: Bearer $KEY" -c "$CONC" \
        -d "$INITIAL_WARM" -w 0 -p "$GW_PID" -l warm >> "$OUT/prewarm.txt"
    done
  fi
  pair_rounds responses chat "$GW/responses" "$REQ/responses.json" "$GW/chat/completions" "$REQ/sim.json" auth
  pair_rounds responses-s chat-s "$GW/responses" "$REQ/responses-stream.json" \
    "$GW/chat/completions" "$REQ/sim-stream.json" auth
fi
if [[ "$ONLY" != responses ]]; then
if (( PREWARM > 0 )); then
  log "warming the gateway's JIT for ${PREWARM}s with one-input batches"
  jq -c '.input = [.input[0]]' "$REQ/embeddings-100.json" > "$OUT/embeddings-1.json"
  "$BENCH/load.sh" -u "$GW/embeddings" -b "$OUT/embeddings-1.json" -H "Authorization: Bearer $KEY" \
    -c "$CONC" -d "$PREWARM" -w 0 -p "$GW_PID" -l prewarm > "$OUT/prewarm.txt"
fi
for lat in $EMB_LATENCY_MS; do
  for p in bench benchg; do
    curl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' \
      -d "{\"ttft_ms\": $lat}" "$SIM/_sim/latency/$p"
  done
  pair_rounds "emb-gw@$lat" "emb-direct@$lat" "$GW/embeddings" "$REQ/embeddings-100.json" \
    "$SIM/p/bench/v1/embeddings" "$REQ/embeddings-100-direct.json" auth
  pair_rounds "gemb-gw@$lat" "gemb-direct@$lat" "$GW/embeddings" "$REQ/embeddings-100-gemini.json" \
    "$SIM/p/benchg/v1beta/models/gemini-embedding-001:batchEmbedContents" \
    "$REQ/embeddings-100-gemini-direct.json" auth
done
fi

{
  echo
  if [[ "$ONLY" != embeddings ]]; then
    for pair in "responses chat" "responses-s chat-s"; do
      set -- $pair
      echo "$1 / $2 throughput: $(ratio "$1" "$2" rps) ($(med "$1" rps) vs $(med "$2" rps) req/s" \
        "at the median; bar: at least 0.85)"
    done
  fi
  echo "gateway peak RSS: $(sed -n 's/^VmHWM:[[:space:]]*//p' "/proc/$GW_PID/status")"
  echo "load: $(uptime)"
  if [[ "$ONLY" != responses ]]; then
    for lat in $EMB_LATENCY_MS; do
      for pair in "emb-gw@$lat emb-direct@$lat" "gemb-gw@$lat gemb-direct@$lat"; do
        set -- $pair
        a="$(med "$1" p50)"; b="$(med "$2" p50)"; r="$(med "$1" rps)"; c="$(med "$1" 'w_cpu%')"
        echo "$1: gateway adds $(jq -n "($a - $b) * 100 | round / 100") ms at the median per" \
          "100-input batch ($a vs $b ms; upstream latency $lat ms)"
        echo "$1: $(ratio "$1" "$2" rps) of the direct batch rate ($r vs $(med "$2" rps) a second);" \
          "the gateway's CPU $(jq -n "$c * 10 / $r * 100 | round / 100") ms a batch (w_cpu% over the rate)"
      done
    done
  fi
} | tee -a "$OUT/summary.txt"
log "results in $OUT/summary.txt"
