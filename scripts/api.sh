#!/usr/bin/env bash
# The orchestration API (and the web app it serves). Usage: scripts/api.sh build|start|stop|status
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

API_PID="$RUN_DIR/api.pid"
API_LOG="$LOG_DIR/api.log"

newer_than() { # newer_than TARGET DIR...: true when any file under DIR is newer than TARGET
  local target="$1"; shift
  [ -e "$target" ] || return 0
  [ -n "$(find "$@" -newer "$target" -type f -print -quit 2>/dev/null)" ]
}

build() {
  ensure_node_modules
  if newer_than "$ROOT/services/api/dist/main.js" "$ROOT/services/api/src" "$ROOT/services/api/package.json"; then
    log "building services/api"
    (cd "$ROOT/services/api" && npx --no-install tsc -p tsconfig.build.json) || die "API build failed"
  fi
  if newer_than "$ROOT/web/dist/index.html" "$ROOT/web/src" "$ROOT/web/index.html" "$ROOT/web/package.json"; then
    log "building web"
    # production React whatever NODE_ENV the caller exported (npm test exports test)
    (cd "$ROOT/web" && NODE_ENV=production npx --no-install vite build --logLevel error) || die "web build failed"
  fi
}

start() {
  build
  if pid_alive "$API_PID"; then log "API already running (pid $(cat "$API_PID"))"; return 0; fi
  if port_in_use "$API_PORT"; then die "port $API_PORT is in use by another process. Stop it, or set PORT."; fi
  log "starting API on :$API_PORT"
  cd "$ROOT/services/api"
  WEB_DIST_DIR="${WEB_DIST_DIR:-$ROOT/web/dist}" ORTHANC_URL="${ORTHANC_URL:-http://127.0.0.1:$ORTHANC_PORT}" \
    ORTHANC_PASSWORD_FILE="${ORTHANC_PASSWORD_FILE:-$DATA_DIR/orthanc/password}" nohup node dist/main.js </dev/null >>"$API_LOG" 2>&1 &
  echo $! >"$API_PID"
  record_started pidfile API "$API_PID" $!
  cd "$ROOT"
  local start=$SECONDS
  until http_ok "http://127.0.0.1:$API_PORT/health/live"; do
    pid_alive "$API_PID" || { tail -n 30 "$API_LOG" >&2; die "the API exited during start-up (log above, full log $API_LOG)"; }
    (( SECONDS - start < 60 )) || { tail -n 30 "$API_LOG" >&2; die "the API did not answer /health/live within 60s"; }
    sleep 1
  done
  wait_for "API readiness (HAPI, PostgreSQL, Redis)" 60 http_ok "http://127.0.0.1:$API_PORT/health/ready" \
    || { curl -s "http://127.0.0.1:$API_PORT/health/ready" >&2; echo >&2; die "the API is up but not ready (dependency report above)"; }
}

case "${1:-}" in
  build) build ;;
  start) start ;;
  stop) stop_pidfile API "$API_PID" 15 ;;
  status) if pid_alive "$API_PID" && http_ok "http://127.0.0.1:$API_PORT/health/live"; then ok "api       up    http://localhost:$API_PORT"; else echo "api       down"; fi ;;
  *) echo "usage: $0 build|start|stop|status" >&2; exit 2 ;;
esac
