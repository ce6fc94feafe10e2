#!/usr/bin/env bash
# The Surescripts network simulator (services/simulators). Usage: scripts/simulators.sh build|start|stop|status
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SIM_PID="${SIM_PID_FILE:-$RUN_DIR/simulator.pid}"
SIM_LOG="${SIM_LOG_FILE:-$LOG_DIR/simulator.log}"
SIM_DIR="$ROOT/services/simulators"

build() {
  ensure_node_modules
  if [ ! -e "$SIM_DIR/dist/surescripts/main.js" ] || [ -n "$(find "$SIM_DIR/src" "$SIM_DIR/package.json" -newer "$SIM_DIR/dist/surescripts/main.js" -type f -print -quit 2>/dev/null)" ]; then
    log "building services/simulators"
    (cd "$SIM_DIR" && npx --no-install tsc -p tsconfig.build.json) || die "simulator build failed"
  fi
}

start() {
  build
  if pid_alive "$SIM_PID"; then log "simulator already running (pid $(cat "$SIM_PID"))"; return 0; fi
  if port_in_use "$SIM_PORT"; then die "port $SIM_PORT is in use by another process. Stop it, or set SIMULATOR_PORT."; fi
  log "starting the Surescripts simulator on :$SIM_PORT"
  cd "$SIM_DIR"
  SIMULATOR_PORT="$SIM_PORT" EHR_INBOUND_URL="${EHR_INBOUND_URL:-http://127.0.0.1:$API_PORT/api/erx/inbound}" \
    nohup node dist/surescripts/main.js </dev/null >>"$SIM_LOG" 2>&1 &
  echo $! >"$SIM_PID"
  record_started pidfile simulator "$SIM_PID" $!
  cd "$ROOT"
  wait_for "simulator" 20 http_ok "http://127.0.0.1:$SIM_PORT/health" \
    || { tail -n 20 "$SIM_LOG" >&2; die "the simulator did not answer /health within 20s (log $SIM_LOG)"; }
}

case "${1:-}" in
  build) build ;;
  start) start ;;
  stop) stop_pidfile simulator "$SIM_PID" 10 ;;
  status) if pid_alive "$SIM_PID" && http_ok "http://127.0.0.1:$SIM_PORT/health"; then ok "simulator up    http://127.0.0.1:$SIM_PORT"; else echo "simulator down"; fi ;;
  *) echo "usage: $0 build|start|stop|status" >&2; exit 2 ;;
esac
