#!/usr/bin/env bash
# A throwaway real PostgreSQL from the machine's packages, on a free loopback port.
#
#   hack/postgres.sh start    initdb in the state dir if needed, start, wait until ready, create db `aisre` (idempotent)
#   hack/postgres.sh stop     stop the server and remove the state dir (no process is left)
#   hack/postgres.sh pause    stop the server but keep its data and port (alias: stop-server)
#   hack/postgres.sh resume   start a paused server again on the same port (alias: start-server)
#   hack/postgres.sh status   print what runs; exit 1 when not ready
#   hack/postgres.sh env      print `export DATABASE_URL=...` (eval it)
#   hack/postgres.sh url      print the DATABASE_URL alone
#   hack/postgres.sh psql     run psql against the database (extra arguments are passed on)
#
# AISRE_PG_DIR sets the state dir (default /tmp/aisre-postgres). Trust auth, 127.0.0.1 only:
# never expose it. As root the server runs as the `postgres` user (or a dedicated `aisre-pg` user).
set -euo pipefail

DIR="${AISRE_PG_DIR:-${TMPDIR:-/tmp}/aisre-postgres}"
DATA="$DIR/data"
DB=aisre
log() { echo "[postgres] $*" >&2; }

pg_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  echo "PostgreSQL server binaries not found: apt-get install postgresql" >&2
  return 1
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null ||
    node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# initdb and postgres refuse to run as root: run them as an unprivileged user that owns the state dir.
server_user() {
  if [ "$(id -u)" != 0 ]; then id -un; return; fi
  if id postgres >/dev/null 2>&1; then echo postgres; return; fi
  id aisre-pg >/dev/null 2>&1 ||
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin aisre-pg
  echo aisre-pg
}

as_user() {
  local user="$1"; shift
  if [ "$(id -un)" = "$user" ]; then "$@"
  elif command -v runuser >/dev/null 2>&1; then runuser -u "$user" -- "$@"
  else su -s /bin/sh "$user" -c "$(printf '%q ' "$@")"
  fi
}

port() { cat "$DIR/port" 2>/dev/null; }
url() { echo "postgres://postgres@127.0.0.1:$(port)/$DB"; }
ready() { [ -f "$DIR/port" ] && "$(pg_bin)/pg_isready" -q -h 127.0.0.1 -p "$(port)" -d postgres -U postgres -t 2; }
running() { [ -f "$DATA/postmaster.pid" ] && kill -0 "$(head -1 "$DATA/postmaster.pid")" 2>/dev/null; }

init_cluster() {
  local bin="$1" user="$2"
  mkdir -p "$DIR"; chmod 755 "$DIR"; chown "$user" "$DIR"
  as_user "$user" test -w "$DIR" || { log "user $user cannot write $DIR: choose another AISRE_PG_DIR"; return 1; }
  as_user "$user" "$bin/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C --no-sync \
    </dev/null >"$DIR/initdb.log" 2>&1 || { log "initdb failed:"; tail -20 "$DIR/initdb.log" >&2; return 1; }
  # Trust, but only for the local socket (owner-only, in the state dir) and 127.0.0.1.
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >"$DATA/pg_hba.conf"
  cat >>"$DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
unix_socket_permissions = 0700
max_connections = 100
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  chown "$user" "$DATA/pg_hba.conf" "$DATA/postgresql.conf"
  free_port >"$DIR/port"
  echo "$user" >"$DIR/user"
}

# Detached from the caller (new session, stdin /dev/null, output to a log) so whoever waits on
# our stdout does not wait for the server too.
start_server() {
  local bin="$1" user; user="$(cat "$DIR/user")"
  as_user "$user" setsid "$bin/pg_ctl" -D "$DATA" -l "$DIR/postgres.log" -o "-p $(port)" -w -t 60 start \
    </dev/null >>"$DIR/pg_ctl.log" 2>&1 || true
  for _ in $(seq 120); do ready && return 0; sleep 0.5; done
  log "server did not become ready; last log lines:"; tail -20 "$DIR/postgres.log" >&2 || true
  return 1
}

stop_server() {
  local pid
  running || return 0
  pid="$(head -1 "$DATA/postmaster.pid")"
  as_user "$(cat "$DIR/user")" "$(pg_bin)/pg_ctl" -D "$DATA" -m fast -w -t 30 stop </dev/null >>"$DIR/pg_ctl.log" 2>&1 || true
  for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null || true
}

create_db() {
  local bin="$1"
  "$bin/psql" -h 127.0.0.1 -p "$(port)" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" |
    grep -q 1 || "$bin/createdb" -h 127.0.0.1 -p "$(port)" -U postgres "$DB"
}

cmd_start() {
  local bin user t0; bin="$(pg_bin)"; t0=$(date +%s)
  if running && ready; then create_db "$bin"; log "already running ($DIR): $(url)"; return 0; fi
  if [ ! -f "$DATA/PG_VERSION" ] || [ ! -f "$DIR/user" ]; then
    rm -rf "$DIR"; user="$(server_user)"; init_cluster "$bin" "$user"
  fi
  start_server "$bin"
  create_db "$bin"
  log "ready in $(( $(date +%s) - t0 ))s: export DATABASE_URL=$(url)"
}

cmd_resume() {
  [ -f "$DATA/PG_VERSION" ] || { log "nothing to resume in $DIR: run hack/postgres.sh start"; return 1; }
  if running && ready; then log "already running"; return 0; fi
  start_server "$(pg_bin)"
  log "resumed: $(url)"
}

cmd_pause() {
  [ -f "$DATA/PG_VERSION" ] || { log "not started ($DIR)"; return 0; }
  stop_server
  log "paused (data kept in $DIR)"
}

cmd_stop() {
  if [ -f "$DATA/PG_VERSION" ] && [ -f "$DIR/user" ]; then stop_server; fi
  rm -rf "$DIR"
  log "stopped"
}

cmd_status() {
  if running; then echo "postgres: running (pid $(head -1 "$DATA/postmaster.pid"))"; else echo "postgres: stopped"; fi
  if ready; then echo "ready: export DATABASE_URL=$(url)"; else return 1; fi
}

need_port() { [ -f "$DIR/port" ] || { log "not started: run hack/postgres.sh start"; exit 1; }; }

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  pause | stop-server) cmd_pause ;;
  resume | start-server) cmd_resume ;;
  status) cmd_status ;;
  env) need_port; echo "export DATABASE_URL=$(url)" ;;
  url) need_port; url ;;
  psql) need_port; shift; exec "$(pg_bin)/psql" "$(url)" "$@" ;;
  *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
