#!/usr/bin/env bash
# /messages against /chat/completions on one gateway, over the same upstream (nginx's fixed chat
# completion and fixed stream, bench/upstream.sh), interleaved; prints the median req/s of each and
# messages/chat per point. The bar (issue 14): /messages within 15 % of chat's throughput, i.e. a
# ratio of at least 0.85.
#
#   bench/messages.sh [OUTDIR]    (default bench/results/messages-<UTC timestamp>)
#
# The bodies are the same conversation in each API's format (bench/requests/nginx*.json and
# bench/requests/messages*.json); the nginx-backed models of bench/config/bench.yaml serve both.
# Env: POINTS ["ns:1 ns:16 s:1 s:16"] (mode:connections)  ROUNDS [3]  DUR [15]  WARM [5]
#      INITIAL_WARM [20]  PORT [18703]  JAR [the gateway jar, gateway/target/*-all.jar]  BENCH_HOME [bench/local]
# A smoke run (seconds, numbers meaningless on a busy machine):
#   POINTS="ns:4 s:4" ROUNDS=1 DUR=3 WARM=1 INITIAL_WARM=2 bench/messages.sh
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
OUT="${1:-$BENCH/results/messages-$(date -u +%Y%m%dT%H%M%SZ)}"
POINTS="${POINTS:-ns:1 ns:16 s:1 s:16}"; ROUNDS="${ROUNDS:-3}"; DUR="${DUR:-15}"; WARM="${WARM:-5}"
INITIAL_WARM="${INITIAL_WARM:-20}"; PORT="${PORT:-18703}"
JAR="${JAR:-$DEFAULT_GATEWAY_JAR}"
use_launcher_jdk
build_jars_if_missing "$JAR"
need_tools wrk nginx jq curl
mkdir -p "$OUT"; OUT="$(cd "$OUT" && pwd)"; SUM="$OUT/messages.txt"
WORK="$(mktemp -d /tmp/switchboard-messages.XXXXXX)"
GW=""; STOP_UPSTREAM=0
cleanup() {
  trap - EXIT INT TERM
  stop_pid "$GW" gateway
  (( STOP_UPSTREAM )) && "$BENCH/upstream.sh" stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 143' INT TERM

"$BENCH/upstream.sh" status >/dev/null 2>&1 || STOP_UPSTREAM=1
"$BENCH/upstream.sh" start >&2
master="$(new_master_key)"
# shellcheck disable=SC2046
SWITCHBOARD_MASTER_KEY="$master" setsid "$JAVA" $("$ROOT/switchboard" jvm-options) -jar "$JAR" serve \
  --config "$(with_upstream_ports "$BENCH/config/bench.yaml" "$WORK/bench.yaml")" --port "$PORT" --data-dir "$WORK/data" \
  > "$OUT/gateway.log" 2>&1 < /dev/null &
GW=$!
wait_http "http://127.0.0.1:$PORT/health/ready" 60 || { echo "gateway did not start" >&2; tail -20 "$OUT/gateway.log" >&2; exit 1; }
KEY="$(create_key "$PORT" "$master")" || { echo "no key" >&2; exit 1; }

run() { # api mode conc dur warm label
  local api="$1" m="$2" path body
  if [[ "$api" == chat ]]; then
    path=chat/completions; body="$BENCH/requests/nginx.json"
    [[ "$m" == s ]] && body="$BENCH/requests/nginx-stream.json"
  else
    path=messages; body="$BENCH/requests/messages.json"
    [[ "$m" == s ]] && body="$BENCH/requests/messages-stream.json"
  fi
  "$BENCH/load.sh" -u "http://127.0.0.1:$PORT/api/v1/$path" -b "$body" \
    -H "Authorization: Bearer $KEY" -c "$3" -d "$4" -w "$5" -p "$GW" -l "$6" 2>&1 | tail -1
}
echo "# $(date -Is) POINTS=$POINTS ROUNDS=$ROUNDS DUR=$DUR WARM=$WARM" >> "$SUM"
for api in chat messages; do for m in $(for p in $POINTS; do echo "${p%%:*}"; done | sort -u); do
  run "$api" "$m" 16 "$INITIAL_WARM" 0 "warm-$api-$m" > /dev/null
done; done
for r in $(seq "$ROUNDS"); do
  order="chat messages"; (( r % 2 == 0 )) && order="messages chat"
  for p in $POINTS; do for api in $order; do
    echo "round=$r api=$api point=$p load=$(cut -d' ' -f1 /proc/loadavg) $(run "$api" "${p%%:*}" "${p#*:}" "$DUR" "$WARM" "$api")" | tee -a "$SUM" >&2
  done; done
done

awk '
  /^round=/ { for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    k = f["point"] SUBSEP f["api"]; n[k]++; rps[k, n[k]] = f["rps"]; p50[k, n[k]] = f["p50"]
    if (!(f["point"] in seen)) { seen[f["point"]] = 1; order[++np] = f["point"] } }
  function med(a, k, m,   i, j, t, v) { for (i = 1; i <= m; i++) v[i] = a[k, i]
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
    return (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2 }
  END { printf "%-8s %12s %14s %9s %9s %11s %5s\n", "point", "chat req/s", "messages req/s", "chat p50", "msgs p50", "msgs/chat", "bar"
    for (i = 1; i <= np; i++) { p = order[i]; c = p SUBSEP "chat"; m = p SUBSEP "messages"
      rc = med(rps, c, n[c]); rm = med(rps, m, n[m]); ratio = (rc > 0 ? rm / rc : 0)
      printf "%-8s %12.0f %14.0f %9.3f %9.3f %11.3f %5s\n", p, rc, rm, med(p50, c, n[c]), med(p50, m, n[m]), ratio,
        (ratio >= 0.85 ? "ok" : "MISS") } }' "$SUM" | tee "$OUT/messages-medians.txt"
