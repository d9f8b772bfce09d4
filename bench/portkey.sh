#!/usr/bin/env bash
# Portkey's open-source gateway (npm @portkey-ai/gateway) on loopback, a peer in the benchmarks.
#
#   bench/portkey.sh install|start|stop|restart|status|check|pid
#
# install copies bench/portkey/package.json and package-lock.json to $BENCH_HOME/portkey and runs
# `npm ci --ignore-scripts` there (again only when they changed; Portkey's one install script runs
# patch-package, which finds nothing to patch in the published package). hono, @hono/node-server and @hono/node-ws are pinned
# to the versions in Portkey's own lock file (4.9.7, 1.13.5, 1.2.0): with what npm resolves by
# default for gateway 1.15.2 (@hono/node-server 1.14 and later) every streaming chat completion fails
# with "TypeError: immutable" (Portkey issue 1389).
# Env: PORTKEY_PORT (default 8787), PORTKEY_NODE_OPTS (extra node flags).
# Requests reach the fake upstream (bench/upstream.sh) with these headers:
#   x-portkey-provider: openai
#   x-portkey-custom-host: http://127.0.0.1:18080/v1   (non-streaming; streaming: :18081/v1)
#   Authorization: Bearer sk-bench                     (forwarded; the upstream ignores it)
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
D="$BENCH_HOME/portkey"; RUN="$BENCH_HOME/run"; PIDF="$RUN/portkey.pid"; LOG="$RUN/portkey.log"
PORT="${PORTKEY_PORT:-8787}"
MAIN="$D/node_modules/@portkey-ai/gateway/build/start-server.js"
STAMP="$D/.installed-from"

running() { [[ -s "$PIDF" ]] && kill -0 "$(cat "$PIDF")" 2>/dev/null; }
pins() { cat "$BENCH/portkey/package.json" "$BENCH/portkey/package-lock.json" 2>/dev/null | sha256sum | cut -c1-16; }
installed() { [[ -f "$MAIN" && -f "$STAMP" && "$(cat "$STAMP")" == "$(pins)" ]]; }
version() { node -p "require('$D/node_modules/$1/package.json').version"; }

install() {
  if installed; then
    echo "portkey $(version @portkey-ai/gateway) (@hono/node-server $(version @hono/node-server)) already installed in $D"
    return 0
  fi
  command -v npm >/dev/null || { echo "portkey: npm is missing (bench/setup.sh portkey installs it)" >&2; exit 1; }
  mkdir -p "$D"; rm -f "$STAMP"
  cp "$BENCH/portkey/package.json" "$D/"
  if [[ -f "$BENCH/portkey/package-lock.json" ]]; then
    cp "$BENCH/portkey/package-lock.json" "$D/"
    (cd "$D" && timeout 900 npm ci --no-audit --no-fund --ignore-scripts)
  else
    (cd "$D" && timeout 900 npm install --no-audit --no-fund --ignore-scripts)
  fi
  pins > "$STAMP"
  echo "portkey $(version @portkey-ai/gateway) (hono $(version hono), @hono/node-server $(version @hono/node-server)) installed in $D"
}

check() {
  curl -fsS -m 10 -X POST "http://127.0.0.1:$PORT/v1/chat/completions" \
    -H 'Content-Type: application/json' -H 'Authorization: Bearer sk-bench' \
    -H 'x-portkey-provider: openai' -H 'x-portkey-custom-host: http://127.0.0.1:18080/v1' \
    --data-binary @"$BENCH/requests/chat.json" | jq -e '.object=="chat.completion"' >/dev/null
}

start() {
  if running; then echo "portkey already running (pid $(cat "$PIDF"))"; return 0; fi
  installed || "$BENCH/setup.sh" portkey >&2
  mkdir -p "$RUN"; : > "$LOG"
  # No proxies: upstream traffic must go straight to loopback. loopback.cjs binds it to 127.0.0.1
  # (Portkey's server listens on every interface and has no option for it).
  # shellcheck disable=SC2086
  env -u HTTP_PROXY -u HTTPS_PROXY -u http_proxy -u https_proxy -u ALL_PROXY -u all_proxy \
    BIND_HOST=127.0.0.1 \
    setsid nohup node ${PORTKEY_NODE_OPTS:-} --require "$BENCH/portkey/loopback.cjs" "$MAIN" --port="$PORT" --headless \
      >>"$LOG" 2>&1 < /dev/null &
  echo $! > "$PIDF"
  for _ in $(seq 100); do
    curl -fsS -m 1 "http://127.0.0.1:$PORT/" >/dev/null 2>&1 && break
    running || { echo "portkey exited; log:" >&2; tail -20 "$LOG" >&2; exit 1; }
    sleep 0.1
  done
  echo "portkey running (pid $(cat "$PIDF")) on 127.0.0.1:$PORT"
}

stop() {
  if ! running; then echo "portkey not running"; rm -f "$PIDF"; return 0; fi
  local pid; pid="$(cat "$PIDF")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$PIDF"; echo "portkey stopped (pid $pid)"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) if running; then ps -o pid,rss,vsz,etime,cmd -p "$(cat "$PIDF")"; else echo stopped; exit 1; fi ;;
  pid) running && cat "$PIDF" ;;
  check) check && echo ok ;;
  *) sed -n '2,15p' "$0" >&2; exit 2 ;;
esac
