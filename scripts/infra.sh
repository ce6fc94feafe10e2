#!/usr/bin/env bash
# PostgreSQL and Redis for the local stack, from Debian's packages, with their data under .data/.
# Usage: scripts/infra.sh up|down [postgres|redis] | status   (both services when none is named)
# `down` stops only this checkout's own PostgreSQL cluster and Redis (.data/), never one it found and used.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PG_DATA="$DATA_DIR/postgres"
PG_SOCK="$DATA_DIR/pg-socket"
PG_LOG="$LOG_DIR/postgres.log"
REDIS_DATA="$DATA_DIR/redis"
REDIS_PID="$RUN_DIR/redis.pid"

# initdb and postgres refuse to run as root: run them as the 'postgres' system user then.
as_pg() {
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_ready() { "$(pg_bin_dir)/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; }

install_missing() {
  local need=()
  [ -n "$(pg_bin_dir)" ] || need+=(postgresql)
  command -v redis-server >/dev/null || need+=(redis-server)
  command -v curl >/dev/null || need+=(curl)
  if [ ${#need[@]} -gt 0 ] && is_root; then
    # Our cluster lives in .data/; keep Debian from creating and starting its own on our port.
    mkdir -p /etc/postgresql-common
    grep -qs '^create_main_cluster' /etc/postgresql-common/createcluster.conf \
      || echo 'create_main_cluster = false' >>/etc/postgresql-common/createcluster.conf
  fi
  ensure_packages "${need[@]}"
  # The package just installed starts Debian's own redis service on our port; ours uses .data/. Only then: a
  # Redis already running is someone's stack.
  if [[ " ${need[*]} " == *" redis-server "* ]] && command -v service >/dev/null && is_root; then
    service redis-server stop >/dev/null 2>&1 || true
  fi
}

# A PostgreSQL of another WintEHR checkout (same roles, same passwords) already on the port is used as it is.
pg_shared() {
  [ -f "$PG_DATA/postmaster.pid" ] && return 1
  pg_ready || return 1
  psql_app wintehr wintehr_test -c 'SELECT 1' >/dev/null 2>&1 && psql_app hapi hapi -c 'SELECT 1' >/dev/null 2>&1
}

pg_up() {
  local bin; bin="$(pg_bin_dir)"
  if pg_shared; then log "PostgreSQL of another WintEHR checkout is on port $PG_PORT: using it"; return 0; fi
  mkdir -p "$PG_SOCK"
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    log "initialising PostgreSQL cluster in $PG_DATA"
    mkdir -p "$PG_DATA"
    if is_root; then chown -R postgres:postgres "$PG_DATA" "$PG_SOCK"; fi
    as_pg "$bin/initdb" -D "$PG_DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$LOG_DIR/initdb.log" 2>&1 \
      || die "initdb failed (see $LOG_DIR/initdb.log)"
  fi
  if is_root; then chown postgres:postgres "$PG_SOCK"; touch "$PG_LOG"; chown postgres:postgres "$PG_LOG"; fi
  if as_pg "$bin/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    log "PostgreSQL already running"
  else
    if port_in_use "$PG_PORT"; then
      die "port $PG_PORT is in use by another process, not our PostgreSQL. Stop it, or set WINTEHR_PG_PORT to a free port."
    fi
    as_pg "$bin/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 start \
      -o "-p $PG_PORT -k $PG_SOCK -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB -c fsync=${WINTEHR_PG_FSYNC:-on}" >/dev/null \
      || { tail -n 30 "$PG_LOG" >&2; die "PostgreSQL failed to start (log above, full log $PG_LOG)"; }
    record_started postgres PostgreSQL "$PG_DATA"
  fi
  wait_for PostgreSQL 60 pg_ready || die "PostgreSQL did not accept connections within 60s (see $PG_LOG)"
  pg_bootstrap
}

psql_admin() { as_pg "$(pg_bin_dir)/psql" -h "$PG_SOCK" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

# Roles and databases: 'wintehr' for the API ('wintehr_test' for API tests, 'wintehr_e2e' for browser tests), 'hapi' for HAPI FHIR.
pg_bootstrap() {
  local role db
  for role in wintehr hapi; do
    psql_admin -d postgres -c "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='$role') THEN CREATE ROLE $role LOGIN PASSWORD '$role'; END IF; END\$\$;"
  done
  for db in wintehr:wintehr wintehr_test:wintehr wintehr_e2e:wintehr hapi:hapi; do
    if [ -z "$(psql_admin -d postgres -c "SELECT 1 FROM pg_database WHERE datname='${db%%:*}'")" ]; then
      psql_admin -d postgres -c "CREATE DATABASE ${db%%:*} OWNER ${db##*:}"
    fi
  done
}

redis_ready() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; }

redis_up() {
  if redis_ready; then log "Redis already running"; return 0; fi
  if port_in_use "$REDIS_PORT"; then die "port $REDIS_PORT is in use by something that is not Redis. Stop it, or set WINTEHR_REDIS_PORT."; fi
  mkdir -p "$REDIS_DATA"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$REDIS_DATA" --appendonly yes \
    --daemonize yes --pidfile "$REDIS_PID" --logfile "$LOG_DIR/redis.log" \
    || die "redis-server failed to start (see $LOG_DIR/redis.log)"
  wait_for Redis 30 redis_ready || die "Redis did not answer PING within 30s (see $LOG_DIR/redis.log)"
  record_started pidfile Redis "$REDIS_PID" "$(cat "$REDIS_PID")"
}

pg_down() {
  local bin; bin="$(pg_bin_dir)" || return 0
  [ -f "$PG_DATA/postmaster.pid" ] || return 0
  as_pg "$bin/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 && log "PostgreSQL stopped" || true
}

# Our Redis is the one whose pid file we hold; a Redis of another checkout on the port is left alone.
redis_down() {
  if pid_alive "$REDIS_PID" && grep -qs redis-server "/proc/$(cat "$REDIS_PID")/cmdline"; then
    stop_pidfile Redis "$REDIS_PID" 30
  else
    rm -f "$REDIS_PID"
    if command -v redis-cli >/dev/null && redis_ready; then log "Redis on port $REDIS_PORT was not started from $DATA_DIR: leaving it"; fi
  fi
}

status() {
  if [ -n "$(pg_bin_dir)" ] && pg_ready; then ok "postgres  up    127.0.0.1:$PG_PORT"; else echo "postgres  down"; fi
  if command -v redis-cli >/dev/null && redis_ready; then ok "redis     up    127.0.0.1:$REDIS_PORT"; else echo "redis     down"; fi
}

case "${1:-} ${2:-}" in
  "up "|"up postgres"|"up redis") install_missing; [ "${2:-postgres}" = postgres ] && pg_up; [ "${2:-redis}" = redis ] && redis_up; true ;;
  "down ") redis_down; pg_down ;;
  "down postgres") pg_down ;;
  "down redis") redis_down ;;
  "status ") status ;;
  *) echo "usage: $0 up|down [postgres|redis] | status" >&2; exit 2 ;;
esac
