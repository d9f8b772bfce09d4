#!/usr/bin/env bash
# The time the gateway adds to an embeddings batch, one request at a time: N sequential requests of
# 100 inputs each through POST /embeddings and the same batch sent straight to the simulator, for
# the OpenAI-compatible API (1,536 floats a vector) and Gemini's batchEmbedContents (3,072), with
# base64 output too. Prints the median and 90th percentile of each (curl's time_total, ms), the
# gateway's own x-switchboard-overhead-ms at the median (overhead_p50: the trailer of that name,
# the whole request's own time, when the answer is streamed through, else the header;
# head_overhead_p50: the header, the own time up to the answer's head), the difference of the medians and the
# gateway's peak RSS. Sequential, so the figures are latencies, not throughput (bench/inbound.sh
# measures the batch under load with wrk).
#
#   bench/embeddings.sh [OUTDIR]    (default bench/results/embeddings-<UTC timestamp>, gitignored)
#
# Environment: N [20] (requests per measurement, after WARM [10] discarded), GATEWAY_JAR (default
# the built jar). Upstream: the standalone simulator at zero latency (127.0.0.1:19291); gateway on
# 127.0.0.1:18891 with bench/config/inbound.yaml. Loopback only; the script stops what it started.
set -euo pipefail

# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
OUT="${1:-$BENCH/results/embeddings-$(date -u +%Y%m%dT%H%M%SZ)}"
N="${N:-20}"; WARM="${WARM:-10}"
SIM_PORT=19291; GW_PORT=18891
use_launcher_jdk
need_tools curl jq
GATEWAY_JAR="${GATEWAY_JAR:-$DEFAULT_GATEWAY_JAR}"
[[ "$GATEWAY_JAR" != "$DEFAULT_GATEWAY_JAR" ]] || build_jars_if_missing "$DEFAULT_GATEWAY_JAR"
mkdir -p "$OUT"; OUT="$(cd "$OUT" && pwd)"
SIM_PID=""; GW_PID=""
log() { echo "embeddings: $*" >&2; }
cleanup() {
  stop_pid "$GW_PID" gateway; stop_pid "$SIM_PID" simulator
  rm -rf "$OUT/data"
}
trap cleanup EXIT
trap 'exit 143' TERM INT

for port in "$SIM_PORT" "$GW_PORT"; do
  if curl -s -o /dev/null -m 1 "http://127.0.0.1:$port/"; then
    log "port $port is already in use (a leftover run?); stop that process first"; exit 1
  fi
done
# The configuration names the simulator's port of bench/inbound.sh; this script uses its own.
sed "s/127.0.0.1:19290/127.0.0.1:$SIM_PORT/g" "$BENCH/config/inbound.yaml" > "$OUT/inbound.yaml"

log "starting the simulator and the gateway ($GATEWAY_JAR)"
setsid "$JAVA" -jar "$GATEWAY_JAR" simulator --port "$SIM_PORT" > "$OUT/simulator.log" 2>&1 < /dev/null &
SIM_PID=$!
wait_http "http://127.0.0.1:$SIM_PORT/_sim/health" 60 || { log "simulator did not start"; exit 1; }
MASTER="$(new_master_key)"
# shellcheck disable=SC2046
SWITCHBOARD_MASTER_KEY="$MASTER" setsid "$JAVA" $("$ROOT/switchboard" jvm-options) -jar "$GATEWAY_JAR" serve \
  --config "$OUT/inbound.yaml" --port "$GW_PORT" --data-dir "$OUT/data" > "$OUT/gateway.log" 2>&1 < /dev/null &
GW_PID=$!
wait_http "http://127.0.0.1:$GW_PORT/api/v1/models" 60 || { log "gateway did not start"; cat "$OUT/gateway.log" >&2; exit 1; }
KEY="$(create_key "$GW_PORT" "$MASTER")"

GW="http://127.0.0.1:$GW_PORT/api/v1"
SIM="http://127.0.0.1:$SIM_PORT"
REQ="$BENCH/requests"
jq -c '. + {encoding_format: "base64"}' "$REQ/embeddings-100.json" > "$OUT/embeddings-100-base64.json"
: > "$OUT/summary.txt"

stat() { # FILE COLUMN PERCENT: the value at PERCENT of the sorted column
  sort -n -k"$2","$2" "$1" | awk -v c="$2" -v p="$3" '{v[NR]=$c} END {i=int((NR-1)*p/100)+1; printf "%.1f", v[i]}'
}
measure() { # LABEL URL BODY [auth]
  local hdr=(-H 'Content-Type: application/json') f="$OUT/$1.times" i line
  [[ "${4:-}" == auth ]] && hdr+=(-H "Authorization: Bearer $KEY")
  : > "$f"
  for ((i = 0; i < WARM + N; i++)); do
    line="$(curl -sS -m 60 -o /dev/null -D "$OUT/$1.head" -w '%{http_code} %{time_total}' \
      "${hdr[@]}" --data-binary "@$3" "$2")"
    [[ "${line%% *}" == 200 ]] || { log "$1: HTTP ${line%% *}"; exit 1; }
    (( i < WARM )) && continue
    # The gateway's own time: the header, and (a streamed embeddings answer) the trailer of the
    # same name, which curl's -D also writes; the last one is the whole request's.
    local over head_over
    over="$(tr -d '\r' < "$OUT/$1.head" | sed -n 's/^x-switchboard-overhead-ms: //Ip' | tail -1)"
    head_over="$(tr -d '\r' < "$OUT/$1.head" | sed -n 's/^x-switchboard-overhead-ms: //Ip' | head -1)"
    echo "${line#* } ${over:-0} ${head_over:-0}" \
      | awk '{printf "%.2f %s %s\n", $1 * 1000, $2, $3}' >> "$f"
  done
  echo "$1 n=$N p50=$(stat "$f" 1 50) p90=$(stat "$f" 1 90) overhead_p50=$(stat "$f" 2 50)" \
    "head_overhead_p50=$(stat "$f" 3 50)" \
    | tee -a "$OUT/summary.txt"
}
field() { sed -nE "s/^$1 .* $2=([0-9.]+).*/\1/p" "$OUT/summary.txt" | head -1; }

measure emb-direct   "$SIM/p/bench/v1/embeddings" "$REQ/embeddings-100-direct.json"
measure emb-gw       "$GW/embeddings" "$REQ/embeddings-100.json" auth
measure emb-gw-b64   "$GW/embeddings" "$OUT/embeddings-100-base64.json" auth
measure gemb-direct  "$SIM/p/benchg/v1beta/models/gemini-embedding-001:batchEmbedContents" "$REQ/embeddings-100-gemini-direct.json"
measure gemb-gw      "$GW/embeddings" "$REQ/embeddings-100-gemini.json" auth

{
  echo
  for pair in "emb-gw emb-direct" "emb-gw-b64 emb-direct" "gemb-gw gemb-direct"; do
    set -- $pair
    a="$(field "$1" p50)"; b="$(field "$2" p50)"
    echo "$1: gateway adds $(jq -n "($a - $b) * 10 | round / 10") ms at the median per 100-input batch ($a vs $b ms)"
  done
  echo "gateway peak RSS: $(sed -n 's/^VmHWM:[[:space:]]*//p' "/proc/$GW_PID/status")"
  echo "load: $(uptime)"
} | tee -a "$OUT/summary.txt"
log "results in $OUT/summary.txt"
