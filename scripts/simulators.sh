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

start_clearinghouse() {
  build
  if pid_alive "$CH_PID"; then log "clearinghouse simulator already running (pid $(cat "$CH_PID"))"; return 0; fi
  if port_in_use "$CH_PORT"; then die "port $CH_PORT is in use by another process. Stop it, or set CLEARINGHOUSE_PORT."; fi
  log "starting the clearinghouse simulator on :$CH_PORT"
  cd "$SIM_DIR"
  CLEARINGHOUSE_PORT="$CH_PORT" nohup node dist/clearinghouse/main.js </dev/null >>"$CH_LOG" 2>&1 &
  echo $! >"$CH_PID"
  record_started pidfile clearinghouse "$CH_PID" $!
  cd "$ROOT"
  wait_for "clearinghouse simulator" 20 http_ok "http://127.0.0.1:$CH_PORT/health" \
    || { tail -n 20 "$CH_LOG" >&2; die "the clearinghouse simulator did not answer /health within 20s (log $CH_LOG)"; }
}

start_mail() {
  build
  if pid_alive "$MAIL_PID"; then log "mail simulator already running (pid $(cat "$MAIL_PID"))"; return 0; fi
  if port_in_use "$MAIL_HTTP"; then die "port $MAIL_HTTP is in use by another process. Stop it, or set MAIL_HTTP_PORT."; fi
  if port_in_use "$MAIL_SMTP"; then die "port $MAIL_SMTP is in use by another process. Stop it, or set MAIL_SMTP_PORT."; fi
  log "starting the mail simulator on :$MAIL_SMTP (SMTP) and :$MAIL_HTTP (inbox)"
  cd "$SIM_DIR"
  MAIL_HTTP_PORT="$MAIL_HTTP" MAIL_SMTP_PORT="$MAIL_SMTP" nohup node dist/mail/main.js </dev/null >>"$MAIL_LOG" 2>&1 &
  echo $! >"$MAIL_PID"
  record_started pidfile mail-simulator "$MAIL_PID" $!
  cd "$ROOT"
  wait_for "mail simulator" 20 http_ok "http://127.0.0.1:$MAIL_HTTP/health" \
    || { tail -n 20 "$MAIL_LOG" >&2; die "the mail simulator did not answer /health within 20s (log $MAIL_LOG)"; }
}

start_sms() {
  build
  if pid_alive "$SMS_PID"; then log "SMS simulator already running (pid $(cat "$SMS_PID"))"; return 0; fi
  if port_in_use "$SMS_HTTP"; then die "port $SMS_HTTP is in use by another process. Stop it, or set SMS_PORT."; fi
  log "starting the SMS simulator on :$SMS_HTTP"
  cd "$SIM_DIR"
  SMS_PORT="$SMS_HTTP" nohup node dist/sms/main.js </dev/null >>"$SMS_LOG" 2>&1 &
  echo $! >"$SMS_PID"
  record_started pidfile sms-simulator "$SMS_PID" $!
  cd "$ROOT"
  wait_for "SMS simulator" 20 http_ok "http://127.0.0.1:$SMS_HTTP/health" \
    || { tail -n 20 "$SMS_LOG" >&2; die "the SMS simulator did not answer /health within 20s (log $SMS_LOG)"; }
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
