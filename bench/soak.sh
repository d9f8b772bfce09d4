#!/usr/bin/env bash
# A fixed-rate soak through the gateway: DURATION seconds at RATE requests/s, then the gateway's RSS
# and the p99 of the first WINDOW seconds against the last WINDOW seconds. Bounded in time; stops
# what it started.
#
#   bench/soak.sh [OUTDIR]        (default bench/results/soak-<UTC timestamp>, gitignored)
#
# nginx (bench/upstream.sh) is the upstream; the gateway runs the jar with the launcher's JVM
# options and bench/config/bench.yaml (auth, metering, generation records and the access log on);
# the load is the bench module's FixedRateLoad (open loop, coordinated-omission corrected) after a
# WARM-second warm-up, printing one line per WINDOW (requests completed in it, their p50/p90/p99, the
# gateway's RSS at its end and peak in it). The gateway's RSS is also sampled every 10 s (rss.tsv),
# and every 60 s its heap (jstat -gc: old generation committed and used, metaspace used, young and
# full collections with their total seconds) beside the CPU share the host stole from this machine
# (/proc/stat steal) in that minute (gc.tsv): a p99 that grows while steal grows is the host's.
#
# Environment (defaults in brackets): DURATION [3600] (a multiple of WINDOW) WINDOW [600] RATE [1000]
#   CONNS [16] MODE [ns] (ns = non-streaming, s = streaming) WARM [60] GW_PORT [18720]
#   TIMEOUT [10] (s: a request with no progress for this long fails; the load generator's first request
#   must answer within it plus 5 s, so raise it on a machine busy with other work)
#   RSS_TOL [10] (%) P99_TOL [50] (%): the last window may exceed the first by this much and still
#   count as flat. SWITCHBOARD_JAVA_OPTS (gateway, on top of ./switchboard jvm-options) GATEWAY_JAR
#   BENCH_JAR. Exit status 0 when flat, 1 when not (or on errors).
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
OUT="${1:-$BENCH/results/soak-$(date -u +%Y%m%dT%H%M%SZ)}"
DURATION="${DURATION:-3600}"; WINDOW="${WINDOW:-600}"; RATE="${RATE:-1000}"; CONNS="${CONNS:-16}"
MODE="${MODE:-ns}"; WARM="${WARM:-60}"; GW_PORT="${GW_PORT:-18720}"
RSS_TOL="${RSS_TOL:-10}"; P99_TOL="${P99_TOL:-50}"; TIMEOUT="${TIMEOUT:-10}"
(( WINDOW > 0 && DURATION >= 2 * WINDOW && DURATION % WINDOW == 0 )) || {
  echo "soak: DURATION ($DURATION) must be a multiple of WINDOW ($WINDOW), at least two windows" >&2; exit 2; }
use_launcher_jdk
GATEWAY_JAR="${GATEWAY_JAR:-$DEFAULT_GATEWAY_JAR}"; BENCH_JAR="${BENCH_JAR:-$DEFAULT_BENCH_JAR}"
mkdir -p "$OUT"; OUT="$(cd "$OUT" && pwd)"
WORK="$(mktemp -d /tmp/switchboard-soak.XXXXXX)"
log() { echo "[$(date +%H:%M:%S)] soak: $*" >&2; }

GW_PID=""; SAMPLER=""; GC_SAMPLER=""; STOP_UPSTREAM=0
cleanup() {
  trap - EXIT INT TERM
  stop_pid "$SAMPLER" rss-sampler; stop_pid "$GC_SAMPLER" gc-sampler; stop_pid "$GW_PID" gateway
  (( STOP_UPSTREAM )) && "$BENCH/upstream.sh" stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 143' INT TERM

need_tools nginx jq curl
build_jars_if_missing "$GATEWAY_JAR" "$BENCH_JAR"
cp "$GATEWAY_JAR" "$WORK/gateway.jar"; cp "$BENCH_JAR" "$WORK/bench.jar"
raise_nofile $(( 2 * CONNS + 1024 ))
"$BENCH/upstream.sh" status >/dev/null 2>&1 || STOP_UPSTREAM=1
"$BENCH/upstream.sh" start >&2

GW_JAVA_OPTS="$("$ROOT/switchboard" jvm-options)"
MASTER="$(new_master_key)"
log "starting the gateway on 127.0.0.1:$GW_PORT (JVM options: $GW_JAVA_OPTS)"
# shellcheck disable=SC2086
SWITCHBOARD_MASTER_KEY="$MASTER" setsid "$JAVA" $GW_JAVA_OPTS -jar "$WORK/gateway.jar" serve \
  --config "$(with_upstream_ports "$BENCH/config/bench.yaml" "$WORK/bench.yaml")" --port "$GW_PORT" --data-dir "$WORK/data" > "$OUT/gateway.log" 2>&1 < /dev/null &
GW_PID=$!
wait_http "http://127.0.0.1:$GW_PORT/health/ready" 60 || { log "the gateway did not start"; tail -20 "$OUT/gateway.log" >&2; exit 1; }
KEY="$(create_key "$GW_PORT" "$MASTER")" || { log "could not create a key"; tail -20 "$OUT/gateway.log" >&2; exit 1; }

# One request answered before the load starts: a cold gateway on a busy machine may take longer for
# its first request than the load generator's start-up check waits.
body="$BENCH/requests/nginx.json"; extra=()
[[ "$MODE" == s ]] && { body="$BENCH/requests/nginx-stream.json"; extra=(--stream); }
for ((i = 0; i < 60; i++)); do
  curl -fsS -m 10 -o /dev/null -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    --data-binary @"$body" "http://127.0.0.1:$GW_PORT/api/v1/chat/completions" 2>/dev/null && break
  sleep 1
done

# The gateway's RSS every 10 s, for the whole run (seconds since the start of the load, MB).
( end=$(( $(date +%s) + WARM + DURATION + 120 )); t0=$(date +%s)
  while (( $(date +%s) < end )) && kill -0 "$GW_PID" 2>/dev/null; do
    awk -v t="$(( $(date +%s) - t0 ))" '/^VmRSS:/{printf "%d\t%.1f\n", t, $2/1024}' "/proc/$GW_PID/status" 2>/dev/null || true
    sleep 10
  done ) > "$OUT/rss.tsv" &
SAMPLER=$!

# Heap and host steal every 60 s (seconds since the start of the load; MB; collections; seconds; %).
JSTAT="$(dirname "$JAVA")/jstat"
cpu_ticks() { awk '/^cpu /{t=0; for(i=2;i<=NF;i++) t+=$i; print t, $9}' /proc/stat; }
( end=$(( $(date +%s) + WARM + DURATION + 120 )); t0=$(date +%s); prev=($(cpu_ticks))
  printf 't\told_committed_MB\told_used_MB\tmetaspace_MB\tyoung_gcs\tyoung_gc_s\tfull_gcs\tfull_gc_s\tsteal_pct\n'
  while (( $(date +%s) < end )) && kill -0 "$GW_PID" 2>/dev/null; do
    sleep 60
    now=($(cpu_ticks))
    steal="$(awk -v t="$(( now[0] - prev[0] ))" -v s="$(( now[1] - prev[1] ))" 'BEGIN{printf "%.1f", (t > 0 ? 100 * s / t : 0)}')"
    prev=("${now[@]}")
    "$JSTAT" -gc "$GW_PID" 2>/dev/null | awk -v t="$(( $(date +%s) - t0 ))" -v st="$steal" '
      NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
      NR == 2 { printf "%d\t%.1f\t%.1f\t%.1f\t%d\t%.3f\t%d\t%.3f\t%s\n", t, $col["OC"] / 1024, $col["OU"] / 1024,
                  $col["MU"] / 1024, $col["YGC"], $col["YGCT"], $col["FGC"], $col["FGCT"], st }' || true
  done ) > "$OUT/gc.tsv" &
GC_SAMPLER=$!

{ echo "# $(date -Is) repo $(git -C "$ROOT" rev-parse --short HEAD) | gateway jar $GATEWAY_JAR | $("$JAVA" -version 2>&1 | head -1)"
  echo "# DURATION=$DURATION WINDOW=$WINDOW RATE=$RATE CONNS=$CONNS MODE=$MODE WARM=$WARM GW_JAVA_OPTS=$GW_JAVA_OPTS"; } > "$OUT/soak.txt"
log "$RATE requests/s ($MODE) over $CONNS connections: ${WARM}s warm-up, then ${DURATION}s in windows of ${WINDOW}s"
timeout --foreground $(( WARM + DURATION + 120 )) "$JAVA" -Xms128m -Xmx512m -XX:+UseSerialGC -jar "$WORK/bench.jar" \
  -u "http://127.0.0.1:$GW_PORT/api/v1/chat/completions" -b "$body" -H "Authorization: Bearer $KEY" \
  -R "$RATE" -c "$CONNS" -d "$DURATION" -w "$WARM" -i "$WINDOW" -T "$TIMEOUT" -p "$GW_PID" -l soak "${extra[@]}" \
  2>>"$OUT/hdrload.log" | tee -a "$OUT/soak.txt" >&2 || true
echo "# gateway VmHWM $(awk '/^VmHWM:/{printf "%.1f MB", $2/1024}' "/proc/$GW_PID/status" 2>/dev/null)" >> "$OUT/soak.txt"

# ---- first window against last ----
first="$(grep '^soak interval=1 ' "$OUT/soak.txt" || true)"
last="$(grep "^soak interval=$(( DURATION / WINDOW )) " "$OUT/soak.txt" || true)"
summary="$(grep '^soak tool=' "$OUT/soak.txt" || true)"
[[ -n "$first" && -n "$last" && -n "$summary" ]] || { log "the load generator gave no complete result (see soak.txt, hdrload.log)"; exit 1; }
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }
code=0
awk -v p1="$(field "$first" p99)" -v p2="$(field "$last" p99)" -v r1="$(field "$first" w_rss_MB)" \
    -v r2="$(field "$last" w_rss_MB)" -v k1="$(field "$first" w_rss_peak_MB)" -v k2="$(field "$last" w_rss_peak_MB)" \
    -v n1="$(field "$first" n)" -v n2="$(field "$last" n)" -v e="$(field "$summary" err)" \
    -v x="$(field "$summary" non2xx)" -v late="$(field "$summary" late)" -v w="$WINDOW" \
    -v rt="$RSS_TOL" -v pt="$P99_TOL" '
BEGIN {
  rss_flat = (r2 <= r1 * (1 + rt / 100)); p99_flat = (p2 <= p1 * (1 + pt / 100))
  printf "first %ds: p99 %.3f ms, RSS %.1f MB (peak %.1f), %d requests\n", w, p1, r1, k1, n1
  printf "last  %ds: p99 %.3f ms, RSS %.1f MB (peak %.1f), %d requests\n", w, p2, r2, k2, n2
  printf "RSS %+.1f %% (%s, tolerance %d %%); p99 %+.1f %% (%s, tolerance %d %%); errors %d, non-2xx %d, late %d\n",
    (r1 > 0 ? 100 * (r2 - r1) / r1 : 0), (rss_flat ? "flat" : "GREW"), rt,
    (p1 > 0 ? 100 * (p2 - p1) / p1 : 0), (p99_flat ? "flat" : "GREW"), pt, e, x, late
  exit (rss_flat && p99_flat && e == 0 && x == 0) ? 0 : 1
}' > "$OUT/verdict.txt" || code=$?
# The host's steal in the first and the last window (gc.tsv's minutes inside each), and the collections.
awk -F'\t' -v w0="$WARM" -v w="$WINDOW" -v d="$DURATION" '
  NR > 1 && $1 > w0 && $1 <= w0 + w + 30 { f += $9; nf++ }
  NR > 1 && $1 > w0 + d - w && $1 <= w0 + d + 30 { l += $9; nl++ }
  NR > 1 { last = $0 }
  END {
    if (nf > 0 && nl > 0) printf "CPU stolen by the host: %.1f %% in the first window, %.1f %% in the last\n", f / nf, l / nl
    if (last != "") { split(last, c, "\t"); printf "heap at the end: old generation %.1f of %.1f MB used; %d young collections (%.1f s), %d full (%.1f s)\n", c[3], c[2], c[5], c[6], c[7], c[8] }
  }' "$OUT/gc.tsv" >> "$OUT/verdict.txt" 2>/dev/null || true
cat "$OUT/verdict.txt"
log "wrote $OUT/soak.txt, verdict.txt, rss.tsv, gc.tsv, the logs"
exit "$code"
