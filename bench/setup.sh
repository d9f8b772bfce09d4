#!/usr/bin/env bash
# Installs what the benchmarks need, each part only when it is missing. The bench scripts call it
# themselves; run it alone to install ahead of a measurement.
#
#   bench/setup.sh [all|tools|portkey]     (default all)
#
#   tools    wrk, nginx, jq and curl from Debian's packages (apt-get, as root or through sudo).
#            The benchmarks run their own nginx with their own configuration (bench/upstream.sh) and
#            never touch the system's; Debian starts its nginx service on install, which you may stop.
#   portkey  Portkey's open-source gateway from npm at the versions pinned in bench/portkey/
#            (package.json and its lock file: @portkey-ai/gateway 1.15.2 with hono 4.9.7,
#            @hono/node-server 1.13.5 and @hono/node-ws 1.2.0), into $BENCH_HOME/portkey
#            (default bench/local/portkey, gitignored); Node.js and npm from Debian's packages first
#            when there is no node.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

apt_install() { # PACKAGE...
  command -v apt-get >/dev/null || {
    echo "setup: no apt-get here; install $* with your package manager, then run the bench again" >&2; exit 1; }
  local sudo=()
  if (( EUID != 0 )); then
    command -v sudo >/dev/null || { echo "setup: installing $* needs root (or sudo)" >&2; exit 1; }
    sudo=(sudo)
  fi
  echo "setup: apt-get install $*" >&2
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

tools() {
  local missing=() t
  for t in wrk nginx jq curl; do have_tool "$t" || missing+=("$t"); done
  if (( ${#missing[@]} )); then apt_install "${missing[@]}"; fi
  for t in wrk nginx jq curl; do have_tool "$t" || { echo "setup: $t is still missing" >&2; exit 1; }; done
  echo "setup: $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), $("$(nginx_bin)" -v 2>&1 | cut -d' ' -f3), $(jq --version), curl $(curl -V | head -1 | cut -d' ' -f2)" >&2
}

portkey() {
  have_tool node && have_tool npm || apt_install nodejs npm
  "$BENCH/portkey.sh" install
}

case "${1:-all}" in
  all) tools; portkey ;;
  tools) tools ;;
  portkey) portkey ;;
  *) sed -n '2,15p' "$0" >&2; exit 2 ;;
esac
