#!/usr/bin/env bash
# An EC2-protocol test endpoint on loopback: moto's server (PyPI moto[server]) in a venv
# cached under the OS temp dir by version, so @aws-sdk/client-ec2 talks to a real server.
#
#   hack/moto.sh install   create the venv and install moto if needed; print the venv dir
#   hack/moto.sh start     install if needed, start moto_server on a free loopback port, wait until ready (idempotent)
#   hack/moto.sh stop      stop the server and remove the state dir (the venv stays cached)
#   hack/moto.sh status    print what runs; exit 1 when not ready
#   hack/moto.sh env       print `export AISRE_MOTO_URL=...` (eval it; put it in AgentConfig tools.aws.endpoint)
#   hack/moto.sh url       print the endpoint URL alone
#
# AISRE_MOTO_DIR sets the state dir (default /tmp/aisre-moto), so tests can run their own
# server; AISRE_MOTO_VENV sets the venv dir. Loopback only, fake credentials: never expose it.
set -euo pipefail

MOTO_VERSION=5.2.5
TMP="${TMPDIR:-/tmp}"
DIR="${AISRE_MOTO_DIR:-$TMP/aisre-moto}"
VENV="${AISRE_MOTO_VENV:-$TMP/aisre-moto-venv-$MOTO_VERSION}"
log() { echo "[moto] $*" >&2; }

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

installed() { [ -x "$VENV/bin/moto_server" ] && [ -f "$VENV/.aisre-complete" ]; }

cmd_install() {
  if ! installed; then
    command -v python3 >/dev/null 2>&1 || { log "python3 not found: apt-get install python3 python3-venv"; exit 1; }
    log "installing moto[server]==$MOTO_VERSION into $VENV"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION" >&2
    touch "$VENV/.aisre-complete"
  fi
  echo "$VENV"
}

port() { cat "$DIR/port" 2>/dev/null; }
url() { echo "http://127.0.0.1:$(port)"; }
alive() { [ -f "$DIR/pid" ] && kill -0 "$(cat "$DIR/pid")" 2>/dev/null; }
ready() { alive && curl -fsS --max-time 1 "$(url)/moto-api/" >/dev/null 2>&1; }

cmd_start() {
  if ready; then log "already running at $(url)"; return 0; fi
  cmd_install >/dev/null
  mkdir -p "$DIR"
  free_port >"$DIR/port"
  setsid "$VENV/bin/moto_server" -H 127.0.0.1 -p "$(port)" </dev/null >"$DIR/moto.log" 2>&1 &
  echo $! >"$DIR/pid"
  for _ in $(seq 120); do
    if ready; then log "ready at $(url)"; return 0; fi
    alive || break
    sleep 0.25
  done
  log "moto_server did not become ready; last log lines:"
  tail -20 "$DIR/moto.log" >&2 || true
  cmd_stop
  return 1
}

cmd_stop() {
  if alive; then
    local pid; pid="$(cat "$DIR/pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -rf "$DIR"
}

cmd_status() {
  if ready; then echo "moto: running (pid $(cat "$DIR/pid")) at $(url)"; return 0; fi
  echo "moto: not running"
  return 1
}

case "${1:-}" in
  install) cmd_install ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) ready && echo "export AISRE_MOTO_URL=$(url)" ;;
  url) ready && url ;;
  *) echo "usage: $0 install|start|stop|status|env|url" >&2; exit 2 ;;
esac
