#!/usr/bin/env bash
# Local HAPI FHIR JPA server (R4, PostgreSQL) for WintEHR, built from Maven Central only.
#
#   scripts/hapi.sh build    build hapi-config/runner (only if the jar is missing or stale)
#   scripts/hapi.sh start    build if needed, start in the background, wait for /fhir/metadata
#   scripts/hapi.sh stop     stop (SIGTERM, then SIGKILL); the database is untouched
#   scripts/hapi.sh status   print up / starting / down (exit 0 only when up)
#   scripts/hapi.sh restart  stop + start
#   scripts/hapi.sh logs     tail the server log
#
# PostgreSQL is NOT set up here: it must already accept the hapi role on HAPI_DB_URL.
#
# Environment:
#   HAPI_PORT            port (8080)                  HAPI_BIND_ADDRESS  listen address (127.0.0.1)
#   HAPI_DB_URL          jdbc:postgresql://127.0.0.1:5432/hapi
#   HAPI_DB_USER         hapi                         HAPI_DB_PASSWORD   hapi
#   HAPI_SERVER_ADDRESS  base URL HAPI writes into links (http://localhost:8080/fhir)
#   HAPI_JAVA_OPTS       JVM options (-Xms256m -Xmx2g -XX:+ExitOnOutOfMemoryError)
#   OTEL_*               standard OpenTelemetry variables: an OTLP endpoint (or OTEL_TRACES_EXPORTER) adds the Java agent
#   HAPI_START_TIMEOUT   seconds to wait for /fhir/metadata (420)
#   HAPI_STOP_TIMEOUT    seconds to wait after SIGTERM before SIGKILL (60)
#   HAPI_CONFIG_FILE     settings file (hapi-config/application.yaml)
#   WINTEHR_DATA_DIR     data root (<repo>/.data); pid file and log go to $WINTEHR_DATA_DIR/hapi/
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"
RUNNER_DIR="$REPO_ROOT/hapi-config/runner"
JAR="$RUNNER_DIR/target/wintehr-hapi-runner.jar"
CONFIG_FILE="${HAPI_CONFIG_FILE:-$REPO_ROOT/hapi-config/application.yaml}"
DATA_ROOT="${WINTEHR_DATA_DIR:-$REPO_ROOT/.data}"
HAPI_DATA_DIR="$DATA_ROOT/hapi"
PID_FILE="$HAPI_DATA_DIR/hapi.pid"
LOG_FILE="$HAPI_DATA_DIR/hapi.log"
LOCK_FILE="$HAPI_DATA_DIR/.lock"
PORT="${HAPI_PORT:-8080}"
METADATA_URL="http://127.0.0.1:${PORT}/fhir/metadata"
JAVA_OPTS="${HAPI_JAVA_OPTS:--Xms256m -Xmx2g -XX:+ExitOnOutOfMemoryError}"
START_TIMEOUT="${HAPI_START_TIMEOUT:-420}"
OTEL_JAVAAGENT_VERSION=2.31.1
STOP_TIMEOUT="${HAPI_STOP_TIMEOUT:-60}"

log() { printf '[hapi] %s\n' "$*"; }
err() { printf '[hapi] ERROR: %s\n' "$*" >&2; }

# ---------------------------------------------------------------- tools
java_major() {
  local v
  v="$(java -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')" || return 1
  [[ -n "$v" ]] || return 1
  if [[ "$v" == 1.* ]]; then v="${v#1.}"; fi
  echo "${v%%[.+-]*}"
}

have_tools() {
  command -v java >/dev/null 2>&1 && command -v mvn >/dev/null 2>&1 || return 1
  local major
  major="$(java_major)" || return 1
  [[ "$major" =~ ^[0-9]+$ ]] && (( major >= 17 ))
}

ensure_tools() {
  have_tools && return 0
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    log "Java >= 17 and/or Maven missing; installing openjdk-17-jdk-headless and maven with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
    have_tools && return 0
  fi
  err "need Java >= 17 and Maven (found java: $(command -v java >/dev/null && java_major || echo none), mvn: $(command -v mvn || echo none))"
  err "install them with:  sudo apt-get install -y openjdk-17-jdk-headless maven"
  exit 1
}

ensure_runtime_java() {
  if ! command -v java >/dev/null 2>&1 || (( $(java_major || echo 0) < 17 )); then
    ensure_tools
  fi
}

# ---------------------------------------------------------------- build
jar_is_stale() {
  [[ -f "$JAR" ]] || return 0
  # any build input newer than the jar? (pom.xml, Java sources, resources incl. yaml)
  [[ -n "$(find "$RUNNER_DIR/pom.xml" "$RUNNER_DIR/src" -type f -newer "$JAR" -print -quit 2>/dev/null)" ]]
}

cmd_build() {
  if ! jar_is_stale; then
    log "jar is up to date: ${JAR#"$REPO_ROOT"/}"
    return 0
  fi
  ensure_tools
  [[ -d "$HOME/.m2/repository/ca/uhn/hapi/fhir/hapi-fhir-jpaserver-base" ]] ||
    log "first build: Maven downloads HAPI FHIR 8.8.0 and dependencies (~300 MB) from Maven Central"
  log "building ${RUNNER_DIR#"$REPO_ROOT"/} ..."
  local t0=$SECONDS
  (cd "$RUNNER_DIR" && mvn -q -B -Dstyle.color=never -DskipTests package)
  [[ -f "$JAR" ]] || { err "build finished but $JAR is missing"; exit 1; }
  touch "$JAR"
  log "built in $((SECONDS - t0))s: ${JAR#"$REPO_ROOT"/}"
}

# ---------------------------------------------------------------- process helpers
metadata_ok() {
  local body
  body="$(curl -fsS -m 10 -H 'Accept: application/fhir+json' "$METADATA_URL" 2>/dev/null)" || return 1
  [[ "$body" == *'"CapabilityStatement"'* ]]
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null
}

# pid from the pid file, only if that process is alive and is our jar
running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(tr -dc '0-9' <"$PID_FILE")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'wintehr-hapi-runner.jar' || return 1
  echo "$pid"
}

log_tail() {
  if [[ -f "$LOG_FILE" ]]; then
    echo "----- last 40 lines of $LOG_FILE -----" >&2
    tail -n 40 "$LOG_FILE" >&2
    echo "--------------------------------------" >&2
    # the innermost "Caused by:" of a Spring startup failure is usually the real reason
    local cause
    cause="$(grep -E '^Caused by: ' "$LOG_FILE" | tail -n 1 | cut -c1-400)" || true
    [[ -n "$cause" ]] && err "root cause: ${cause#Caused by: }"
  fi
  return 0
}

wait_for_metadata() {
  local pid="$1" t0=$SECONDS
  log "waiting for $METADATA_URL (timeout ${START_TIMEOUT}s) ..."
  while true; do
    if metadata_ok; then
      log "up after $((SECONDS - t0))s: http://127.0.0.1:${PORT}/fhir (pid $pid)"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      err "HAPI (pid $pid) exited during startup"
      rm -f "$PID_FILE"
      log_tail
      exit 1
    fi
    if (( SECONDS - t0 >= START_TIMEOUT )); then
      err "HAPI did not answer $METADATA_URL within ${START_TIMEOUT}s (pid $pid still running; 'scripts/hapi.sh stop' to stop it)"
      log_tail
      exit 1
    fi
    sleep 2
  done
}

# ---------------------------------------------------------------- commands
cmd_start() {
  mkdir -p "$HAPI_DATA_DIR"
  local pid

  if metadata_ok; then
    pid="$(running_pid)" || pid=""
    log "already running: $METADATA_URL answers${pid:+ (pid $pid)}"
    return 0
  fi

  # serialise concurrent starts (build + spawn); waiting for metadata happens outside the lock
  exec 9>"$LOCK_FILE"
  if command -v flock >/dev/null 2>&1; then flock -w 900 9; fi

  if pid="$(running_pid)"; then
    exec 9>&-
    log "already starting (pid $pid)"
    wait_for_metadata "$pid"
    return 0
  fi
  rm -f "$PID_FILE"

  if port_in_use; then
    exec 9>&-
    err "port $PORT is in use by another program that is not a HAPI FHIR server answering /fhir/metadata"
    command -v ss >/dev/null 2>&1 && ss -ltnp "sport = :$PORT" >&2 || true
    err "stop it, or choose another port with HAPI_PORT=..."
    exit 1
  fi

  [[ -f "$CONFIG_FILE" ]] || { exec 9>&-; err "settings file not found: $CONFIG_FILE"; exit 1; }
  cmd_build
  ensure_runtime_java

  [[ -f "$LOG_FILE" ]] && mv -f "$LOG_FILE" "$LOG_FILE.1"
  log "starting HAPI FHIR on 127.0.0.1:$PORT (db ${HAPI_DB_URL:-jdbc:postgresql://127.0.0.1:5432/hapi}, log ${LOG_FILE#"$REPO_ROOT"/})"
  # Tracing like the API's: on when the standard OTEL_* variables ask for it, through the OpenTelemetry Java agent
  # (from Maven Central, cached beside the runner); the agent reads the same variables itself.
  local agent_opts=""
  if [[ "${OTEL_SDK_DISABLED:-}" != true && ( -n "${OTEL_EXPORTER_OTLP_ENDPOINT:-}${OTEL_EXPORTER_OTLP_TRACES_ENDPOINT:-}" || "${OTEL_TRACES_EXPORTER:-none}" != none ) ]]; then
    local agent="$RUNNER_DIR/target/otel/opentelemetry-javaagent-$OTEL_JAVAAGENT_VERSION.jar"
    if [[ ! -f "$agent" ]]; then
      log "fetching the OpenTelemetry Java agent $OTEL_JAVAAGENT_VERSION"
      mvn -q -B dependency:copy "-Dartifact=io.opentelemetry.javaagent:opentelemetry-javaagent:$OTEL_JAVAAGENT_VERSION" \
        "-DoutputDirectory=$RUNNER_DIR/target/otel" >&2 || { err "could not fetch the OpenTelemetry Java agent"; exit 1; }
    fi
    agent_opts="-javaagent:$agent -Dotel.service.name=${OTEL_HAPI_SERVICE_NAME:-hapi-fhir}"
  fi
  # shellcheck disable=SC2086  # JAVA_OPTS is a word list on purpose
  HAPI_PORT="$PORT" nohup java $JAVA_OPTS $agent_opts -jar "$JAR" \
    "--spring.config.location=file:$CONFIG_FILE" \
    >"$LOG_FILE" 2>&1 </dev/null 9>&- &
  pid=$!
  echo "$pid" >"$PID_FILE"
  exec 9>&-
  # So the harness that asked for it (npm test, e2e.sh) stops this HAPI, and only this one (see scripts/lib.sh).
  if [[ -n "${WINTEHR_STARTED_LEDGER:-}" ]]; then printf 'pidfile\tHAPI FHIR\t%s\t%s\n' "$PID_FILE" "$pid" >>"$WINTEHR_STARTED_LEDGER"; fi

  wait_for_metadata "$pid"
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$PID_FILE"
    if metadata_ok; then
      err "something answers $METADATA_URL but it was not started by this script (no live pid in $PID_FILE); not stopping it"
      exit 1
    fi
    log "not running"
    return 0
  fi
  log "stopping pid $pid (SIGTERM) ..."
  kill -TERM "$pid" 2>/dev/null || true
  local t0=$SECONDS
  while kill -0 "$pid" 2>/dev/null; do
    if (( SECONDS - t0 >= STOP_TIMEOUT )); then
      log "still running after ${STOP_TIMEOUT}s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 1
  done
  rm -f "$PID_FILE"
  log "stopped (data kept in PostgreSQL)"
}

cmd_status() {
  local pid=""
  pid="$(running_pid)" || pid=""
  if metadata_ok; then
    echo "up: http://127.0.0.1:${PORT}/fhir${pid:+ (pid $pid)}"
    return 0
  fi
  if [[ -n "$pid" ]]; then
    echo "starting: pid $pid, $METADATA_URL not answering yet"
  else
    echo "down"
  fi
  return 1
}

cmd_logs() {
  [[ -f "$LOG_FILE" ]] || { err "no log at $LOG_FILE"; exit 1; }
  tail -n "${1:-100}" -f "$LOG_FILE"
}

usage() {
  sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

case "${1:-}" in
  build) cmd_build ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  restart) cmd_stop; cmd_start ;;
  logs) shift; cmd_logs "$@" ;;
  -h | --help | help) usage ;;
  *) usage >&2; exit 2 ;;
esac
