#!/usr/bin/env bash
# One bounded load measurement against a loopback URL (wrk); prints ONE summary line.
#
#   bench/load.sh -u URL -b BODY.json [-H 'Name: value']... [-c CONC] [-d SECONDS] [-w WARMUP_SECONDS]
#             [-t THREADS] [-R RATE] [-p PID[,PID...]] [-l LABEL] [-o RAW_OUTPUT_FILE] [-T TIMEOUT]
#
#   closed loop (default): wrk, CONC connections each sending back-to-back requests
#   fixed rate (-R RATE req/s total): wrk2 (set WRK2 to its path; not packaged), CONC connections, latency corrected
#     for coordinated omission; wrk2 spends ~10 s calibrating before it records, which is
#     added to -d automatically (the recorded window stays -d seconds).
#   -p: processes to watch (e.g. the gateway); each PID's direct children are included.
#       Reports their CPU% (100 = one core) and peak RSS (sampled every 0.2 s) during the
#       measured window, plus VmHWM (peak RSS since process start).
#   -w: warm-up run of the same load, discarded (default 5 s; 0 = none).
#
# Output line (times in ms):
#   LABEL tool=wrk c=16 t=2 R=- d=20 rps=... p50=... p90=... p99=... p999=... max=... n=...
#     err=... non2xx=... B/req=... cpu_busy%=... lg_cpu%=... w_cpu%=... w_rss_peak_MB=... w_hwm_MB=...
#   cpu_busy% = whole machine (100 = both cores busy); lg_cpu% = load generator (wrk) CPU.
# Loopback only: URLs must point at 127.0.0.1, localhost or [::1].
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
URL=""; BODY=""; CONC=16; DUR=20; WARM=5; THREADS=""; RATE=""; PIDS=""; LABEL="run"; RAW=""; TMO=10
HDRS=()
while getopts "u:b:H:c:d:w:t:R:p:l:o:T:" o; do
  case "$o" in
    u) URL="$OPTARG" ;; b) BODY="$OPTARG" ;; H) HDRS+=(-H "$OPTARG") ;; c) CONC="$OPTARG" ;;
    d) DUR="$OPTARG" ;; w) WARM="$OPTARG" ;; t) THREADS="$OPTARG" ;; R) RATE="$OPTARG" ;;
    p) PIDS="$OPTARG" ;; l) LABEL="$OPTARG" ;; o) RAW="$OPTARG" ;; T) TMO="$OPTARG" ;;
    *) sed -n '2,20p' "$0" >&2; exit 2 ;;
  esac
done
[[ -n "$URL" && -n "$BODY" ]] || { sed -n '2,20p' "$0" >&2; exit 2; }
[[ "$URL" =~ ^https?://(127\.[0-9.]+|localhost|\[::1\])(:[0-9]+)?/ ]] || { echo "refusing non-loopback URL: $URL" >&2; exit 2; }
[[ -f "$BODY" ]] || { echo "no body file $BODY" >&2; exit 2; }
BODY="$(cd "$(dirname "$BODY")" && pwd)/$(basename "$BODY")"
need_tools wrk curl
NCPU=$(nproc)
[[ -n "$THREADS" ]] || THREADS=$(( CONC < NCPU ? CONC : NCPU ))
WRK="${WRK:-wrk}"; WRK2="${WRK2:-wrk2}"
LUA="$BENCH/lua/post.lua"
TMP="$(mktemp -d /tmp/load.XXXXXX)"
SAMPLER=""
cleanup() { [[ -n "$SAMPLER" ]] && kill "$SAMPLER" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
trap 'exit 143' TERM INT

# sanity: one request must return 2xx before loading
code=$(curl -sS -o "$TMP/probe" -w '%{http_code}' -m 10 -X POST -H 'Content-Type: application/json' \
  "${HDRS[@]}" --data-binary @"$BODY" "$URL" || true)
if [[ ! "$code" =~ ^2 ]]; then
  echo "$LABEL ERROR probe returned HTTP $code: $(head -c 200 "$TMP/probe" 2>/dev/null)"; exit 1
fi

# expand watched PIDs with their direct children
WATCH=()
if [[ -n "$PIDS" ]]; then
  for p in ${PIDS//,/ }; do
    kill -0 "$p" 2>/dev/null || { echo "$LABEL ERROR pid $p not running"; exit 1; }
    WATCH+=("$p"); for ch in $(pgrep -P "$p" || true); do WATCH+=("$ch"); done
  done
fi
ticks() { local s=0 p; for p in "${WATCH[@]}"; do
  [[ -r /proc/$p/stat ]] && s=$(( s + $(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null || echo 0) )); done; echo "$s"; }
rss_kb() { local s=0 p v; for p in "${WATCH[@]}"; do
  v=$(awk '/^VmRSS:/{print $2}' "/proc/$p/status" 2>/dev/null || true); s=$(( s + ${v:-0} )); done; echo "$s"; }
hwm_kb() { local s=0 p v; for p in "${WATCH[@]}"; do
  v=$(awk '/^VmHWM:/{print $2}' "/proc/$p/status" 2>/dev/null || true); s=$(( s + ${v:-0} )); done; echo "$s"; }
cpustat() { awk '/^cpu /{t=0; for(i=2;i<=NF;i++) t+=$i; print t, $5+$6}' /proc/stat; }

run_wrk() { # $1 = seconds (recorded window), $2 = "warm" (no calibration padding); output to stdout
  local d="$1"
  if [[ -n "$RATE" ]]; then
    local cpt=$(( (CONC + THREADS - 1) / THREADS ))
    local total=$(( d + 10 + (cpt * 5 + 999) / 1000 ))
    [[ "${2:-}" == warm ]] && total="$d"
    BODY_FILE="$BODY" timeout --foreground $(( total + 30 )) "$WRK2" -t"$THREADS" -c"$CONC" -d"${total}s" -R"$RATE" \
      --timeout "${TMO}s" --latency -s "$LUA" "${HDRS[@]}" "$URL"
  else
    BODY_FILE="$BODY" timeout --foreground $(( d + 30 )) "$WRK" -t"$THREADS" -c"$CONC" -d"${d}s" \
      --timeout "${TMO}s" --latency -s "$LUA" "${HDRS[@]}" "$URL"
  fi
}

if (( WARM > 0 )); then run_wrk "$WARM" warm > "$TMP/warm.txt" 2>&1 || true; fi

# measured run
if (( ${#WATCH[@]} > 0 )); then
  ( end=$(( $(date +%s) + DUR + 60 )); peak=0
    while (( $(date +%s) < end )); do r=$(rss_kb); (( r > peak )) && peak=$r; echo "$peak" > "$TMP/peak"; sleep 0.2; done ) &
  SAMPLER=$!
fi
read -r T0 I0 < <(cpustat); W0=$(ticks 2>/dev/null || echo 0); S0=$(date +%s.%N)
TIMEFORMAT='%U %S'
{ time run_wrk "$DUR" > "$TMP/out.txt" 2>&1 ; } 2> "$TMP/time.txt" || true
S1=$(date +%s.%N); read -r T1 I1 < <(cpustat); W1=$(ticks 2>/dev/null || echo 0)
if [[ -n "$SAMPLER" ]]; then kill "$SAMPLER" 2>/dev/null || true; wait "$SAMPLER" 2>/dev/null || true; SAMPLER=""; fi

[[ -n "$RAW" ]] && { { echo "### $LABEL $(date -Is) URL=$URL c=$CONC t=$THREADS R=${RATE:--} d=$DUR"; cat "$TMP/out.txt"; echo; } >> "$RAW"; }

S=$(grep '^WRKSUMMARY' "$TMP/out.txt" | tail -1 || true)
if [[ -z "$S" ]]; then echo "$LABEL ERROR no summary from wrk: $(tail -3 "$TMP/out.txt" | tr '\n' ' ')"; exit 1; fi
get() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$S"; }
HZ=$(getconf CLK_TCK)
read -r LU LS < "$TMP/time.txt" || { LU=0; LS=0; }
WALL=$(awk -v a="$S0" -v b="$S1" 'BEGIN{print b-a}')
awk -v lbl="$LABEL" -v tool="$([[ -n "$RATE" ]] && echo wrk2 || echo wrk)" -v c="$CONC" -v t="$THREADS" \
    -v R="${RATE:--}" -v d="$DUR" -v n="$(get requests)" -v us="$(get duration_us)" -v by="$(get bytes)" \
    -v ec="$(get errors_connect)" -v er="$(get errors_read)" -v ew="$(get errors_write)" \
    -v es="$(get errors_status)" -v et="$(get errors_timeout)" \
    -v p50="$(get p50_us)" -v p90="$(get p90_us)" -v p99="$(get p99_us)" -v p999="$(get p999_us)" -v mx="$(get max_us)" \
    -v T0="$T0" -v T1="$T1" -v I0="$I0" -v I1="$I1" -v lu="$LU" -v ls="$LS" -v wall="$WALL" \
    -v w0="$W0" -v w1="$W1" -v hz="$HZ" -v nw="${#WATCH[@]}" \
    -v peak="$(cat "$TMP/peak" 2>/dev/null || echo 0)" -v hwm="$( (( ${#WATCH[@]} > 0 )) && hwm_kb || echo 0)" '
BEGIN {
  rps = (us > 0) ? n / (us / 1e6) : 0
  busy = (T1 > T0) ? 100 * (1 - (I1 - I0) / (T1 - T0)) : 0
  lg = (wall > 0) ? 100 * (lu + ls) / wall : 0
  line = sprintf("%s tool=%s c=%s t=%s R=%s d=%s rps=%.1f p50=%.3f p90=%.3f p99=%.3f p999=%.3f max=%.3f n=%d err=%d non2xx=%d B/req=%.0f cpu_busy%%=%.0f lg_cpu%%=%.0f",
    lbl, tool, c, t, R, d, rps, p50/1000, p90/1000, p99/1000, p999/1000, mx/1000, n, ec+er+ew+et, es,
    (n > 0 ? by / n : 0), busy, lg)
  if (nw > 0) line = line sprintf(" w_cpu%%=%.0f w_rss_peak_MB=%.1f w_hwm_MB=%.1f",
    (wall > 0 ? 100 * (w1 - w0) / hz / wall : 0), peak / 1024, hwm / 1024)
  print line
}'
