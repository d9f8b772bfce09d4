#!/usr/bin/env bash
# A fake OpenAI-compatible upstream (nginx, loopback only): the floor every gateway is measured
# against, since nothing answers faster than nginx returning a fixed body.
#
#   bench/upstream.sh start|stop|restart|status|check|pid
#
#   127.0.0.1:18080  POST /v1/chat/completions         -> bench/upstream/chat-completion.json (1.1 KB)
#                    POST /stream/v1/chat/completions  -> bench/upstream/chat-stream.sse (51 data
#                                                         events + [DONE], 15.5 KB, sent at once)
#   127.0.0.1:18081  POST /v1/chat/completions         -> the same stream (for a base URL alone)
# Env: UPSTREAM_WORKERS (nginx worker_processes, default 1), UPSTREAM_PORT, UPSTREAM_SSE_PORT, NGINX.
# Its configuration, pid file and logs live in $BENCH_HOME/run; it never touches the system's nginx.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
RUN="$BENCH_HOME/run"; CONF="$RUN/nginx.conf"; PIDF="$RUN/nginx.pid"; ERRLOG="$RUN/nginx-error.log"
PORT="${UPSTREAM_PORT:-18080}"; SSE_PORT="${UPSTREAM_SSE_PORT:-18081}"; WORKERS="${UPSTREAM_WORKERS:-1}"

running() { [[ -s "$PIDF" ]] && kill -0 "$(cat "$PIDF")" 2>/dev/null; }

check() {
  curl -fsS -m 5 -X POST -H 'Content-Type: application/json' --data-binary @"$BENCH/requests/chat.json" \
    "http://127.0.0.1:$PORT/v1/chat/completions" | jq -e '.object=="chat.completion"' >/dev/null &&
  curl -fsS -m 5 -X POST -H 'Content-Type: application/json' --data-binary @"$BENCH/requests/chat-stream.json" \
    "http://127.0.0.1:$SSE_PORT/v1/chat/completions" | tail -c 20 | grep -q 'data: \[DONE\]'
}

# The configuration, written on every start. The bodies are copied next to it, so that nginx's
# workers can read them wherever the repository is.
write_conf() {
  local body user=""
  cp "$BENCH/upstream/chat-completion.json" "$BENCH/upstream/chat-stream.sse" "$RUN/"
  # nginx quoting: backslash and single quote escaped (the fixed body has neither; kept safe anyway)
  body="$(sed -e 's/\\/\\\\/g' -e "s/'/\\\\'/g" "$RUN/chat-completion.json")"
  # As root, nginx would run its workers as nobody, who may not read $RUN (under /root, say).
  (( EUID == 0 )) && user="user root root;"
  cat > "$CONF" <<CONF
# Written by bench/upstream.sh on every start; edit that script, not this file.
$user
worker_processes $WORKERS;
pid $PIDF;
error_log $ERRLOG warn;

events { worker_connections 16384; multi_accept on; }
http {
  access_log off;
  server_tokens off;
  keepalive_requests 10000000;
  keepalive_timeout 120s;
  client_body_buffer_size 256k;
  client_max_body_size 16m;
  sendfile on;
  tcp_nopush off;
  tcp_nodelay on;
  open_file_cache max=64 inactive=600s;
  open_file_cache_valid 600s;
  etag off;
  client_body_temp_path $RUN/nginx-tmp/body;
  proxy_temp_path $RUN/nginx-tmp/proxy;
  fastcgi_temp_path $RUN/nginx-tmp/fastcgi;
  uwsgi_temp_path $RUN/nginx-tmp/uwsgi;
  scgi_temp_path $RUN/nginx-tmp/scgi;

  server {
    listen 127.0.0.1:$PORT backlog=4096;
    location = /v1/chat/completions {
      default_type application/json;
      return 200 '$body';
    }
    # The stream is longer than an nginx 'return' string may be, so it is a static file: a POST to
    # a static file is a 405, which error_page turns into an internal GET of it with status 200.
    location = /stream/v1/chat/completions {
      alias $RUN/chat-stream.sse;
      error_page 405 =200 /_sse/chat-stream.sse;
    }
    location /_sse/ {
      internal;
      alias $RUN/;
      default_type text/event-stream;
      add_header Cache-Control no-cache;
    }
    location = /health { default_type text/plain; return 200 'ok'; }
  }

  # The same upstream with /v1/chat/completions streaming, for a gateway that takes a base URL only.
  server {
    listen 127.0.0.1:$SSE_PORT backlog=4096;
    location = /v1/chat/completions {
      alias $RUN/chat-stream.sse;
      error_page 405 =200 /_sse/chat-stream.sse;
    }
    location /_sse/ {
      internal;
      alias $RUN/;
      default_type text/event-stream;
      add_header Cache-Control no-cache;
    }
    location = /health { default_type text/plain; return 200 'ok'; }
  }
}
CONF
}

start() {
  if running; then echo "upstream already running (pid $(cat "$PIDF"))"; return 0; fi
  need_tools nginx jq curl
  if curl -s -o /dev/null -m 1 "http://127.0.0.1:$PORT/"; then
    echo "port $PORT is taken by another process (an nginx from another clone's BENCH_HOME?); stop it first" >&2
    exit 1
  fi
  mkdir -p "$RUN"/nginx-tmp/{body,proxy,fastcgi,uwsgi,scgi}; : > "$ERRLOG"
  write_conf
  local nginx; nginx="$(nginx_bin)"
  "$nginx" -t -q -p "$RUN" -e "$ERRLOG" -c "$CONF"
  "$nginx" -p "$RUN" -e "$ERRLOG" -c "$CONF"
  for _ in $(seq 50); do check 2>/dev/null && break; sleep 0.1; done
  check || { echo "upstream failed its health check; $ERRLOG says:" >&2; tail -5 "$ERRLOG" >&2; exit 1; }
  echo "upstream running (master pid $(cat "$PIDF")) on 127.0.0.1:$PORT and :$SSE_PORT"
}

stop() {
  if ! running; then echo "upstream not running"; rm -f "$PIDF"; return 0; fi
  local pid; pid="$(cat "$PIDF")"
  kill -QUIT "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid" 2>/dev/null || true; sleep 0.5; fi
  rm -f "$PIDF"; echo "upstream stopped (pid $pid)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) if running; then echo "running pid $(cat "$PIDF") workers: $(pgrep -P "$(cat "$PIDF")" | tr '\n' ' ')"; else echo "stopped"; exit 1; fi ;;
  pid) running && cat "$PIDF" ;;
  check) check && echo ok ;;
  *) sed -n '2,12p' "$0" >&2; exit 2 ;;
esac
