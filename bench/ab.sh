#!/usr/bin/env bash
# A/B comparison of two gateway jars under the same load, interleaved (for perf fixes).
#
#   bench/ab.sh A.jar B.jar [OUTDIR]    (default bench/results/ab-<UTC timestamp>)
#
# Starts nginx (bench/upstream.sh, unless running; bench/setup.sh installs what is missing) and both
# gateways (ports 18701 and 18702, the nginx-backed models of bench/config/bench.yaml, each with its
# own data dir and inference key),
# warms each up, then for ROUNDS rounds runs every POINT on A and on B (order alternating per round)
# with bench/load.sh, and prints the median req/s and p50/p99 of each side and B/A (a round of a
# point where either side saw a socket error or timeout is left out as disturbed, and counted).
# Env: POINTS ["ns:1 ns:16 ns:64 s:1 s:16"] (mode:connections)  ROUNDS [3]  DUR [15]  WARM [5]
#      INITIAL_WARM [30] (per gateway and mode, once)  BENCH_HOME [bench/local]
#      BENCH_KEY_BODY (the inference key's JSON, default {"name":"bench"}; add "limit" to bill a budget)
#      SWITCHBOARD_JAVA_OPTS (both sides), A_JAVA_OPTS / B_JAVA_OPTS (one side; the same jar twice
#      with different options compares JVM settings), on top of ./switchboard jvm-options
#      A_CONFIG / B_CONFIG (one side's gateway config file; default bench/config/bench.yaml)
#      A_ENV / B_ENV (one side's extra environment, "NAME=value NAME=value"; e.g. OTEL_* variables,
#      or storage and cluster settings to compare modes, see bench/cluster.sh)
#      A_PORT / B_PORT [18701 / 18702] (the gateways' ports, for a machine where another clone runs)
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ $# -ge 2 ]] || { sed -n '2,20p' "$0" >&2; exit 2; }
A_JAR="$1"; B_JAR="$2"; OUT="${3:-$BENCH/results/ab-$(date -u +%Y%m%dT%H%M%SZ)}"
POINTS="${POINTS:-ns:1 ns:16 ns:64 s:1 s:16}"; ROUNDS="${ROUNDS:-3}"; DUR="${DUR:-15}"; WARM="${WARM:-5}"
INITIAL_WARM="${INITIAL_WARM:-30}"
use_launcher_jdk
mkdir -p "$OUT"; OUT="$(cd "$OUT" && pwd)"; SUM="$OUT/ab.txt"
WORK="$(mktemp -d /tmp/switchboard-ab.XXXXXX)"
declare -A PID PORT KEY
PORT[A]="${A_PORT:-18701}"; PORT[B]="${B_PORT:-18702}"; STOP_UPSTREAM=0
cleanup() {
  trap - EXIT INT TERM
  for s in A B; do
    p="${PID[$s]:-}"; [[ -n "$p" ]] || continue
    kill -TERM "$p" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  (( STOP_UPSTREAM )) && "$BENCH/upstream.sh" stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 143' INT TERM

cp "$A_JAR" "$WORK/A.jar"; cp "$B_JAR" "$WORK/B.jar"
need_tools wrk nginx jq curl
"$BENCH/upstream.sh" status >/dev/null 2>&1 || STOP_UPSTREAM=1
"$BENCH/upstream.sh" start >&2
for s in A B; do
  master="$(new_master_key)"
  side_opts="${s}_JAVA_OPTS"
  # The launcher's JVM options (./switchboard jvm-options) with this side's on top; a collector named
  # there replaces the launcher's default one.
  opts="$(SWITCHBOARD_JAVA_OPTS="${SWITCHBOARD_JAVA_OPTS:-} ${!side_opts:-}" "$ROOT/switchboard" jvm-options)"
  side_config="${s}_CONFIG"; side_env="${s}_ENV"
  # shellcheck disable=SC2086
  env ${!side_env:-} SWITCHBOARD_MASTER_KEY="$master" setsid "$JAVA" $opts -jar "$WORK/$s.jar" serve \
    --config "$(with_upstream_ports "${!side_config:-$BENCH/config/bench.yaml}" "$WORK/config-$s.yaml")" --port "${PORT[$s]}" --data-dir "$WORK/data-$s" \
    > "$OUT/gateway-$s.log" 2>&1 < /dev/null &
  PID[$s]=$!
  wait_http "http://127.0.0.1:${PORT[$s]}/health/ready" 60 || { echo "gateway $s did not start" >&2; tail -20 "$OUT/gateway-$s.log" >&2; exit 1; }
  KEY[$s]="$(create_key "${PORT[$s]}" "$master")" || { echo "gateway $s: no key" >&2; exit 1; }
done
echo "# $(date -Is) A=$A_JAR ${A_JAVA_OPTS:-} ${A_CONFIG:-} ${A_ENV:-} B=$B_JAR ${B_JAVA_OPTS:-} ${B_CONFIG:-} ${B_ENV:-} POINTS=$POINTS ROUNDS=$ROUNDS DUR=$DUR WARM=$WARM" >> "$SUM"

run() { # side mode conc dur warm label
  local s="$1" m="$2" c="$3" body="$BENCH/requests/nginx.json"
  [[ "$m" == s ]] && body="$BENCH/requests/nginx-stream.json"
  "$BENCH/load.sh" -u "http://127.0.0.1:${PORT[$s]}/api/v1/chat/completions" -b "$body" \
    -H "Authorization: Bearer ${KEY[$s]}" -c "$c" -d "$4" -w "$5" -p "${PID[$s]}" -l "$6" 2>&1 | tail -1
}
for s in A B; do for m in $(for p in $POINTS; do echo "${p%%:*}"; done | sort -u); do
  run "$s" "$m" 16 "$INITIAL_WARM" 0 "warm-$s-$m" > /dev/null
done; done
for r in $(seq "$ROUNDS"); do
  order="A B"; (( r % 2 == 0 )) && order="B A"
  for p in $POINTS; do for s in $order; do
    echo "round=$r side=$s point=$p load=$(cut -d' ' -f1 /proc/loadavg) $(run "$s" "${p%%:*}" "${p#*:}" "$DUR" "$WARM" "$s")" | tee -a "$SUM" >&2
  done; done
done

# medians per point and side, and B/A. A round of a point in which either side had a socket error
# or a timeout (wrk's err=, e.g. the machine paused for a snapshot mid-run: requests outlive the
# 10 s timeout and req/s drops) is disturbed: both sides' runs of it are left out and counted.
awk '
  NR == FNR { if ($0 ~ /^round=/) { for (i = 1; i <= NF; i++) { split($i, kv, "="); g[kv[1]] = kv[2] }
      if (g["err"] + 0 > 0) bad[g["round"] SUBSEP g["point"]] = 1 }
    next }
  /^round=/ { for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    if ((f["round"] SUBSEP f["point"]) in bad) { if (f["side"] == "A") skipped[f["point"]]++; next }
    k = f["point"] SUBSEP f["side"]; n[k]++; rps[k, n[k]] = f["rps"]; p50[k, n[k]] = f["p50"]; p99[k, n[k]] = f["p99"]
    cpu[k, n[k]] = (f["rps"] > 0 ? f["w_cpu%"] * 10000 / f["rps"] : 0)
    if (f["w_hwm_MB"] + 0 > hwm[k] + 0) hwm[k] = f["w_hwm_MB"]
    if (!(f["point"] in seen)) { seen[f["point"]] = 1; order[++np] = f["point"] } }
  function med(a, k, m,   i, j, t, v) { for (i = 1; i <= m; i++) v[i] = a[k, i]
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
    return (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2 }
  END { printf "%-8s %10s %10s %7s %8s %8s %8s %8s %9s %9s %8s %8s\n", "point", "A req/s", "B req/s", "B/A", "A p50", "B p50", "A p99", "B p99", "A us/req", "B us/req", "A MB", "B MB"
    for (i = 1; i <= np; i++) { p = order[i]; a = p SUBSEP "A"; b = p SUBSEP "B"
      ra = med(rps, a, n[a]); rb = med(rps, b, n[b])
      printf "%-8s %10.0f %10.0f %7.3f %8.3f %8.3f %8.3f %8.3f %9.1f %9.1f %8.1f %8.1f\n", p, ra, rb, (ra > 0 ? rb / ra : 0),
        med(p50, a, n[a]), med(p50, b, n[b]), med(p99, a, n[a]), med(p99, b, n[b]), med(cpu, a, n[a]), med(cpu, b, n[b]),
        hwm[a], hwm[b] }
    for (p in skipped) printf "(%s: %d disturbed round(s) left out: a run with err > 0)\n", p, skipped[p] }' "$SUM" "$SUM" | tee "$OUT/ab-medians.txt"
echo "(us/req = the gateway's CPU time per request: its CPU % over req/s; MB = the gateway's peak RSS since"
echo " its start (VmHWM), the highest at the end of any of that point's runs)"
