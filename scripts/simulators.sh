#!/usr/bin/env bash
# The Surescripts network, eligibility clearinghouse, mail (SMTP) and SMS (Twilio API) simulators (services/simulators).
# Usage: scripts/simulators.sh build|start|stop|status
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SIM_PID="${SIM_PID_FILE:-$RUN_DIR/simulator.pid}"
SIM_LOG="${SIM_LOG_FILE:-$LOG_DIR/simulator.log}"
SIM_DIR="$ROOT/services/simulators"
CH_PID="${CH_PID_FILE:-$RUN_DIR/clearinghouse.pid}"
CH_LOG="${CH_LOG_FILE:-$LOG_DIR/clearinghouse.log}"
CH_PORT="${CLEARINGHOUSE_PORT:-8092}"
# A caller that asks for its own Surescripts instance (SIM_PID_FILE, e.g. the browser-test harness) gets no
# clearinghouse unless it asks for one: the stack's clearinghouse keeps its fixed port.
CH_WANTED="${CLEARINGHOUSE_START:-$([ -n "${SIM_PID_FILE:-}" ] && echo 0 || echo 1)}"
MAIL_PID="${MAIL_PID_FILE:-$RUN_DIR/mail-simulator.pid}"
MAIL_LOG="${MAIL_LOG_FILE:-$LOG_DIR/mail-simulator.log}"
MAIL_HTTP="${MAIL_HTTP_PORT:-8093}"
MAIL_SMTP="${MAIL_SMTP_PORT:-2525}"
SMS_PID="${SMS_PID_FILE:-$RUN_DIR/sms-simulator.pid}"
SMS_LOG="${SMS_LOG_FILE:-$LOG_DIR/sms-simulator.log}"
SMS_HTTP="${SMS_PORT:-8094}"
# Same rule for the mail and SMS simulators: a caller with its own SIM_PID_FILE asks for them explicitly.
NOTIFY_WANTED="${NOTIFY_SIM_START:-$([ -n "${SIM_PID_FILE:-}" ] && echo 0 || echo 1)}"

build() {
  ensure_node_modules
  if [ ! -e "$SIM_DIR/dist/surescripts/main.js" ] || [ -n "$(find "$SIM_DIR/src" "$SIM_DIR/package.json" -newer "$SIM_DIR/dist/surescripts/main.js" -type f -print -quit 2>/dev/null)" ]; then
    log "building services/simulators"
    (cd "$SIM_DIR" && npx --no-install tsc -p tsconfig.build.json) || die "simulator build failed"
  fi
}

# One simulator process: <label> <ledger name> <pid file> <log file> <port answering /health> <dist entry>, then its
# environment as VAR=value; every *PORT variable among them must be free. The pid recorded is node's own.
launch() {
  local label="$1" name="$2" pidf="$3" logf="$4" port="$5" entry="$6" kv
  shift 6
  build
  if pid_alive "$pidf"; then log "$label already running (pid $(cat "$pidf"))"; return 0; fi
  for kv in "$@"; do
    case "${kv%%=*}" in
      *PORT) if port_in_use "${kv#*=}"; then die "port ${kv#*=} is in use by another process. Stop it, or set ${kv%%=*}."; fi ;;
    esac
  done
  log "starting the $label ($*)"
  cd "$SIM_DIR"
  env "$@" nohup node "$entry" </dev/null >>"$logf" 2>&1 &
  echo $! >"$pidf"
  record_started pidfile "$name" "$pidf" $!
  cd "$ROOT"
  wait_for "$label" 20 http_ok "http://127.0.0.1:$port/health" \
    || { tail -n 20 "$logf" >&2; die "the $label did not answer /health within 20s (log $logf)"; }
}

start() {
  launch "Surescripts simulator" simulator "$SIM_PID" "$SIM_LOG" "$SIM_PORT" dist/surescripts/main.js \
    SIMULATOR_PORT="$SIM_PORT" EHR_INBOUND_URL="${EHR_INBOUND_URL:-http://127.0.0.1:$API_PORT/api/erx/inbound}"
}
start_clearinghouse() {
  launch "clearinghouse simulator" clearinghouse "$CH_PID" "$CH_LOG" "$CH_PORT" dist/clearinghouse/main.js \
    CLEARINGHOUSE_PORT="$CH_PORT"
}
start_mail() {
  launch "mail simulator" mail-simulator "$MAIL_PID" "$MAIL_LOG" "$MAIL_HTTP" dist/mail/main.js \
    MAIL_HTTP_PORT="$MAIL_HTTP" MAIL_SMTP_PORT="$MAIL_SMTP"
}
start_sms() {
  launch "SMS simulator" sms-simulator "$SMS_PID" "$SMS_LOG" "$SMS_HTTP" dist/sms/main.js SMS_PORT="$SMS_HTTP"
}

status() {
  if pid_alive "$SIM_PID" && http_ok "http://127.0.0.1:$SIM_PORT/health"; then ok "simulator up    http://127.0.0.1:$SIM_PORT"; else echo "simulator down"; fi
  [ "$CH_WANTED" = 1 ] || return 0
  if pid_alive "$CH_PID" && http_ok "http://127.0.0.1:$CH_PORT/health"; then ok "clearinghouse up http://127.0.0.1:$CH_PORT"; else echo "clearinghouse down"; fi
  [ "$NOTIFY_WANTED" = 1 ] || return 0
  if pid_alive "$MAIL_PID" && http_ok "http://127.0.0.1:$MAIL_HTTP/health"; then ok "mail sim up     smtp://127.0.0.1:$MAIL_SMTP inbox http://127.0.0.1:$MAIL_HTTP"; else echo "mail simulator down"; fi
  if pid_alive "$SMS_PID" && http_ok "http://127.0.0.1:$SMS_HTTP/health"; then ok "SMS sim up      http://127.0.0.1:$SMS_HTTP"; else echo "SMS simulator down"; fi
}

case "${1:-}" in
  build) build ;;
  start) start; if [ "$CH_WANTED" = 1 ]; then start_clearinghouse; fi; if [ "$NOTIFY_WANTED" = 1 ]; then start_mail; start_sms; fi ;;
  stop) stop_pidfile simulator "$SIM_PID" 10; if [ "$CH_WANTED" = 1 ]; then stop_pidfile clearinghouse "$CH_PID" 10; fi
    if [ "$NOTIFY_WANTED" = 1 ]; then stop_pidfile mail-simulator "$MAIL_PID" 10; stop_pidfile sms-simulator "$SMS_PID" 10; fi ;;
  status) status ;;
  *) echo "usage: $0 build|start|stop|status" >&2; exit 2 ;;
esac
