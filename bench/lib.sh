# Sourced by the bench scripts: where things are, the tools they need, and the gateway's JDK.
#   BENCH       this folder            ROOT  the repository
#   BENCH_HOME  what the bench installs and runs from (pid files, logs, nginx's config, Portkey):
#               default bench/local, gitignored; set it to share one installation between clones
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
BENCH_HOME="${BENCH_HOME:-$BENCH/local}"
mkdir -p "$BENCH_HOME"
BENCH_HOME="$(cd "$BENCH_HOME" && pwd)"
export BENCH_HOME

# The project version (the root pom's first <version>), which names the jars.
VERSION="$(sed -n 's:.*<version>\([^<]*\)</version>.*:\1:p' "$ROOT/pom.xml" | head -1)"
DEFAULT_GATEWAY_JAR="$ROOT/gateway/target/switchboard-gateway-$VERSION-all.jar"
DEFAULT_BENCH_JAR="$ROOT/bench/target/switchboard-bench-$VERSION-all.jar"

nginx_bin() { # Debian puts nginx in /usr/sbin, which a user's PATH may not hold
  if [[ -n "${NGINX:-}" ]]; then echo "$NGINX"; else command -v nginx 2>/dev/null || echo /usr/sbin/nginx; fi
}

have_tool() {
  case "$1" in
    nginx) [[ -x "$(nginx_bin)" ]] ;;
    wrk) command -v "${WRK:-wrk}" >/dev/null 2>&1 ;;
    *) command -v "$1" >/dev/null 2>&1 ;;
  esac
}

# need_tools TOOL...: runs bench/setup.sh tools when one of them is missing.
need_tools() {
  local t
  for t in "$@"; do
    have_tool "$t" || { "$BENCH/setup.sh" tools >&2; return; }
  done
}

# raise_nofile N: raises this shell's open-files limit (inherited by what it starts) to at least N,
# the hard limit too when allowed (root); prints a warning when it stays below.
raise_nofile() {
  local want="$1" hard
  hard="$(ulimit -Hn)"
  if [[ "$hard" != unlimited ]] && (( hard < want )); then ulimit -Hn "$want" 2>/dev/null || true; fi
  hard="$(ulimit -Hn)"
  if [[ "$hard" == unlimited ]] || (( hard >= want )); then ulimit -Sn "$want" 2>/dev/null || true
  else ulimit -Sn "$hard" 2>/dev/null || true; fi
  local now; now="$(ulimit -Sn)"
  if [[ "$now" != unlimited ]] && (( now < want )); then
    echo "WARNING: open-files limit is $now, below the $want this run needs (raise the hard limit: ulimit -Hn, limits.conf)" >&2
  fi
}

# The JDK the launcher runs the gateway with (JAVA_HOME when it is 21 or newer, else the newest found).
use_launcher_jdk() {
  JAVA_HOME="$("$ROOT/switchboard" java-home)"; export JAVA_HOME
  JAVA="$JAVA_HOME/bin/java"
}

# build_jars_if_missing JAR...: builds the gateway and bench jars (tests skipped) when one is missing.
build_jars_if_missing() {
  local j
  for j in "$@"; do
    [[ -f "$j" ]] && continue
    echo "building the gateway and bench jars" >&2
    "$ROOT/mvnw" -B -q -f "$ROOT/pom.xml" -DskipTests -Dspotless.check.skip=true -pl gateway,bench -am package
    return
  done
}

wait_http() { # URL SECONDS: until URL answers 2xx
  local i
  for ((i = 0; i < $2 * 10; i++)); do curl -fsS -m 1 -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

# The nginx upstream's ports of this run: UPSTREAM_PORT and UPSTREAM_SSE_PORT (bench/upstream.sh's
# defaults 18080 and 18081). The bench configs name the defaults; with_upstream_ports copies one with
# the ports of this run, so several benches (other clones, other users) can run side by side.
UP_PORT="${UPSTREAM_PORT:-18080}"; UP_SSE_PORT="${UPSTREAM_SSE_PORT:-18081}"
with_upstream_ports() { # SRC DST: writes SRC with this run's upstream ports to DST and prints DST
  sed -e "s#127\.0\.0\.1:18080/#127.0.0.1:$UP_PORT/#g" -e "s#127\.0\.0\.1:18081/#127.0.0.1:$UP_SSE_PORT/#g" "$1" > "$2"
  echo "$2"
}

new_master_key() { echo "bench-master-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"; }

# The key's body comes from BENCH_KEY_BODY (default {"name":"bench"}); e.g. a key with a spend
# limit, '{"name":"bench","limit":1000}', puts every request through the budget reservation.
create_key() { # PORT MASTER: prints a new inference key made through the key API
  local key="" i body="${BENCH_KEY_BODY:-{\"name\":\"bench\"\}}"
  for i in 1 2 3 4 5; do # a first call can race the key cache warm-up; retry
    key="$(curl -sS -m 10 -X POST "http://127.0.0.1:$1/api/v1/keys" -H "Authorization: Bearer $2" \
      -H 'Content-Type: application/json' -d "$body" | jq -r '.key // empty' 2>/dev/null || true)"
    [[ -n "$key" ]] && { echo "$key"; return 0; }
    sleep 0.5
  done
  return 1
}

stop_pid() { # PID NAME: TERM, up to 10 s, then KILL
  local p="$1"; [[ -n "$p" ]] || return 0
  if kill -0 "$p" 2>/dev/null; then
    kill -TERM "$p" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$p" 2>/dev/null; then echo "$2 did not stop in 10 s; killing it" >&2; kill -KILL "$p" 2>/dev/null || true; fi
  fi
  return 0
}
