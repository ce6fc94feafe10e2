#!/usr/bin/env bash
# Orthanc (the PACS behind the API's /dicomweb) from Debian's packages, run as our own process with its data under .data/.
# Usage: scripts/orthanc.sh start|stop|status
#   ORTHANC_PORT   HTTP port (8042); loopback clients only (RemoteAccessAllowed false), HTTP basic auth
#   The user is `wintehr`; its password is generated once into .data/orthanc/password (mode 600) and never printed.
# `stop` stops only the Orthanc whose pid file this checkout holds; an Orthanc found running is used, never recorded.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ORTHANC_DIR="$DATA_DIR/orthanc"
ORTHANC_CONF="$ORTHANC_DIR/orthanc.json"
ORTHANC_PASSWORD_FILE="$ORTHANC_DIR/password"
ORTHANC_PID="$RUN_DIR/orthanc.pid"
ORTHANC_LOG="$LOG_DIR/orthanc.log"

install_missing() {
  local need=()
  command -v Orthanc >/dev/null || [ -x /usr/sbin/Orthanc ] || need+=(orthanc)
  dpkg -s orthanc-dicomweb >/dev/null 2>&1 || need+=(orthanc-dicomweb)
  ensure_packages "${need[@]}"
  # Debian's package may start its own service (system config, /var/lib); ours is the process started below.
  if [ ${#need[@]} -gt 0 ] && command -v service >/dev/null && is_root; then service orthanc stop >/dev/null 2>&1 || true; fi
}

dicomweb_plugin() {
  dpkg -L orthanc-dicomweb 2>/dev/null | grep -E '/libOrthancDicomWeb\.so(\.[0-9.]+)?$' | head -n1
}

ensure_password() {
  mkdir -p "$ORTHANC_DIR"
  if [ ! -s "$ORTHANC_PASSWORD_FILE" ]; then
    (umask 077 && node -e 'process.stdout.write(require("crypto").randomBytes(24).toString("base64url"))' >"$ORTHANC_PASSWORD_FILE")
  fi
  chmod 600 "$ORTHANC_PASSWORD_FILE"
}

# The shared settings (orthanc-config/orthanc.json) plus what is local: storage, port, plugin, credentials.
write_config() {
  local plugin; plugin="$(dicomweb_plugin)"
  [ -n "$plugin" ] || die "the Orthanc DICOMweb plugin is not installed (apt-get install -y orthanc-dicomweb)"
  mkdir -p "$ORTHANC_DIR/db"
  (umask 077 && ORTHANC_BASE="$ROOT/orthanc-config/orthanc.json" ORTHANC_DB="$ORTHANC_DIR/db" ORTHANC_PLUGIN="$plugin" \
    ORTHANC_PORT="$ORTHANC_PORT" ORTHANC_PASSWORD_FILE="$ORTHANC_PASSWORD_FILE" node -e '
      const fs = require("fs");
      const c = JSON.parse(fs.readFileSync(process.env.ORTHANC_BASE, "utf8"));
      Object.assign(c, {
        StorageDirectory: process.env.ORTHANC_DB,
        IndexDirectory: process.env.ORTHANC_DB,
        HttpPort: Number(process.env.ORTHANC_PORT),
        RemoteAccessAllowed: false,
        AuthenticationEnabled: true,
        RegisteredUsers: { wintehr: fs.readFileSync(process.env.ORTHANC_PASSWORD_FILE, "utf8").trim() },
        Plugins: [process.env.ORTHANC_PLUGIN],
      });
      process.stdout.write(JSON.stringify(c, null, 2));' >"$ORTHANC_CONF.tmp")
  mv "$ORTHANC_CONF.tmp" "$ORTHANC_CONF"
}

# Up = answers our credentials (so an Orthanc of someone else on the port does not count as ours).
orthanc_ready() {
  [ -s "$ORTHANC_PASSWORD_FILE" ] || return 1
  curl -fs -o /dev/null --max-time 5 -K - "http://127.0.0.1:$ORTHANC_PORT/system" <<<"user = \"wintehr:$(cat "$ORTHANC_PASSWORD_FILE")\""
}

start() {
  install_missing
  ensure_password
  if pid_alive "$ORTHANC_PID" && orthanc_ready; then log "Orthanc already running (pid $(cat "$ORTHANC_PID"))"; return 0; fi
  if orthanc_ready; then log "an Orthanc with this checkout's credentials is on port $ORTHANC_PORT: using it"; return 0; fi
  if port_in_use "$ORTHANC_PORT"; then
    [ -z "$ORTHANC_PORT_GIVEN" ] || die "port $ORTHANC_PORT is in use by another process, not our Orthanc. Stop it, or set another ORTHANC_PORT."
    # Someone else's Orthanc (another checkout's) or another service: ours takes a free port, remembered for the
    # other scripts (api.sh, test.sh, e2e.sh read it through lib.sh).
    ORTHANC_PORT="$(free_port)"
    log "port taken by another process: this checkout's Orthanc uses :$ORTHANC_PORT"
  fi
  mkdir -p "$ORTHANC_DIR"
  echo "$ORTHANC_PORT" >"$ORTHANC_PORT_FILE"
  write_config
  log "starting Orthanc on 127.0.0.1:$ORTHANC_PORT (storage $ORTHANC_DIR/db)"
  local bin; bin="$(command -v Orthanc || echo /usr/sbin/Orthanc)"
  nohup "$bin" "$ORTHANC_CONF" </dev/null >>"$ORTHANC_LOG" 2>&1 8>&- &
  echo $! >"$ORTHANC_PID"
  record_started pidfile Orthanc "$ORTHANC_PID" $!
  wait_for Orthanc 60 orthanc_ready || { tail -n 20 "$ORTHANC_LOG" >&2; die "Orthanc did not answer within 60s (log $ORTHANC_LOG)"; }
}

stop() {
  if pid_alive "$ORTHANC_PID" && grep -qs Orthanc "/proc/$(cat "$ORTHANC_PID")/cmdline"; then
    stop_pidfile Orthanc "$ORTHANC_PID" 30
  else
    rm -f "$ORTHANC_PID"
  fi
}

status() {
  if orthanc_ready; then ok "orthanc   up    http://127.0.0.1:$ORTHANC_PORT (DICOMweb behind the API's /dicomweb)"; else echo "orthanc   down"; return 1; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
