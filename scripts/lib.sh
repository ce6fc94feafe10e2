# Shared helpers for the stack scripts. Source it; do not run it.
# shellcheck shell=bash
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA_DIR="${WINTEHR_DATA_DIR:-$ROOT/.data}"
LOG_DIR="$DATA_DIR/logs"
RUN_DIR="$DATA_DIR/run"
mkdir -p "$LOG_DIR" "$RUN_DIR"

PG_PORT="${WINTEHR_PG_PORT:-5432}"
REDIS_PORT="${WINTEHR_REDIS_PORT:-6379}"
HAPI_PORT="${HAPI_PORT:-8080}"
API_PORT="${PORT:-8000}"
SIM_PORT="${SIMULATOR_PORT:-8091}"
# Orthanc's port: as given, else the one this checkout's Orthanc last took (another checkout's Orthanc may hold 8042).
ORTHANC_PORT_FILE="$DATA_DIR/orthanc/port"
ORTHANC_PORT_GIVEN="${ORTHANC_PORT:+1}"
ORTHANC_PORT="${ORTHANC_PORT:-$(cat "$ORTHANC_PORT_FILE" 2>/dev/null || echo 8042)}"
# After `orthanc.sh start` (a separate process, which may have moved to a free port): the port it uses now.
orthanc_port_now() { if [ -n "$ORTHANC_PORT_GIVEN" ]; then echo "$ORTHANC_PORT"; else cat "$ORTHANC_PORT_FILE" 2>/dev/null || echo "$ORTHANC_PORT"; fi; }

if [ -t 1 ]; then BOLD=$'\e[1m'; RED=$'\e[31m'; GREEN=$'\e[32m'; RESET=$'\e[0m'; else BOLD=; RED=; GREEN=; RESET=; fi
log() { printf '%s[wintehr]%s %s\n' "$BOLD" "$RESET" "$*"; }
ok() { printf '%s[wintehr]%s %s%s%s\n' "$BOLD" "$RESET" "$GREEN" "$*" "$RESET"; }
die() { printf '%s[wintehr] error:%s %s\n' "$RED" "$RESET" "$*" >&2; exit 1; }

is_root() { [ "$(id -u)" = 0 ]; }

# apt-get install when root; otherwise say exactly what to run.
ensure_packages() {
  local missing=("$@")
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! is_root; then
    die "missing packages: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}"
  fi
  if ! command -v apt-get >/dev/null; then die "missing ${missing[*]} and no apt-get to install them"; fi
  log "installing ${missing[*]} from Debian (one-time)"
  export DEBIAN_FRONTEND=noninteractive
  if [ ! -f "$DATA_DIR/.apt-updated" ] || [ -n "$(find "$DATA_DIR/.apt-updated" -mmin +720 2>/dev/null)" ]; then
    apt-get update -qq >"$LOG_DIR/apt.log" 2>&1 || die "apt-get update failed (see $LOG_DIR/apt.log)"
    touch "$DATA_DIR/.apt-updated"
  fi
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >>"$LOG_DIR/apt.log" 2>&1 \
    || die "apt-get install ${missing[*]} failed (see $LOG_DIR/apt.log)"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# wait_for DESCRIPTION TIMEOUT_SECONDS COMMAND...: polls every second; never waits silently forever.
wait_for() {
  local what="$1" timeout="$2"; shift 2
  local start=$SECONDS
  until "$@" >/dev/null 2>&1; do
    if (( SECONDS - start >= timeout )); then return 1; fi
    sleep 1
  done
  log "$what is up ($((SECONDS - start))s)"
}

http_ok() { curl -fs -o /dev/null --max-time 5 "$1"; }

# Debian's newest PostgreSQL binaries (empty when none is installed).
pg_bin_dir() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)"
  [ -n "$d" ] && [ -x "$d/pg_ctl" ] && echo "$d"
}

# psql over TCP as one of the stack's application roles (infra.sh gives each the password of its name).
# Usage: psql_app ROLE DATABASE [psql args...]
psql_app() { local role="$1" db="$2"; shift 2; PGPASSWORD="$role" "$(pg_bin_dir)/psql" -h 127.0.0.1 -p "$PG_PORT" -U "$role" -d "$db" -qAt "$@"; }

# ---- What a run started ------------------------------------------------------------------------------------------
# A harness (npm test, e2e.sh) stops exactly what it started: each start script appends what it really launched
# (never a service it found running, nor another checkout's PostgreSQL or Redis it uses) to the file named by
# WINTEHR_STARTED_LEDGER, one tab-separated line per service:
#   pidfile <name> <pid file> <pid>    a process we spawned
#   postgres <name> <data directory>   a cluster we started with pg_ctl
# Deciding afterwards from status output instead proved fragile (a pipe closed early read as "down").

# Makes this shell the owner of a new ledger, unless a parent harness owns one already (the parent then stops all).
open_ledger() {
  [ -z "${WINTEHR_STARTED_LEDGER:-}" ] || return 1
  WINTEHR_STARTED_LEDGER="$(mktemp "$RUN_DIR/started.XXXXXX")"
  export WINTEHR_STARTED_LEDGER
  LEDGER_OWNER=$BASHPID
}

record_started() { # record_started KIND NAME PATH [PID]
  [ -n "${WINTEHR_STARTED_LEDGER:-}" ] || return 0
  printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${4:-}" >>"$WINTEHR_STARTED_LEDGER"
}

# Stops what the ledger lists, last started first (the API before the databases it uses), then removes it.
stop_started() {
  local ledger="${1:-${WINTEHR_STARTED_LEDGER:-}}" kind name path pid
  [ -n "$ledger" ] && [ -f "$ledger" ] || return 0
  while IFS=$'\t' read -r kind name path pid; do
    case "$kind" in
      pidfile)
        # Only the very process we started: a pid file rewritten since belongs to whoever restarted the service.
        if [ "$(cat "$path" 2>/dev/null)" = "$pid" ]; then stop_pidfile "$name" "$path" 60
        elif kill -0 "$pid" 2>/dev/null; then log "$name: $path no longer names pid $pid, which this run started: leaving it"; fi ;;
      postgres) WINTEHR_DATA_DIR="$(dirname "$path")" bash "$ROOT/scripts/infra.sh" down postgres || log "stopping $name failed" ;;
      *) log "unknown entry in $ledger: $kind $name" ;;
    esac
  done < <(tac "$ledger")
  rm -f "$ledger"
}

# EXIT handler of the ledger's owner: stops what this run started, or with WINTEHR_KEEP_STACK=1 says what it leaves up.
release_started() {
  local ledger="${WINTEHR_STARTED_LEDGER:-}"
  [ -n "$ledger" ] && [ "${LEDGER_OWNER:-}" = "$BASHPID" ] || return 0
  if [ "${WINTEHR_KEEP_STACK:-0}" = 1 ]; then
    [ -s "$ledger" ] && log "WINTEHR_KEEP_STACK=1: leaving running $(cut -f2 "$ledger" | paste -sd, -)"
    rm -f "$ledger"
  else
    stop_started "$ledger"
  fi
}

# A TCP port nobody listens on now (the kernel's choice), for services of a test run that must not meet a running stack.
free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();})'
}

# Stops the process in a pid file: TERM, a grace period, then KILL.
stop_pidfile() {
  local name="$1" pidfile="$2" grace="${3:-20}"
  if ! pid_alive "$pidfile"; then rm -f "$pidfile"; return 0; fi
  local pid; pid="$(cat "$pidfile")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 "$grace"); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  if kill -0 "$pid" 2>/dev/null; then log "$name did not stop in ${grace}s; killing"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$pidfile"
  log "$name stopped"
}

check_node() {
  command -v node >/dev/null || die "Node.js is not installed. Install Node.js 20.19+ (e.g. apt-get install -y nodejs npm)."
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
    || die "Node.js $(node -v) is too old; WintEHR needs 20.19 or newer."
}

# npm ci when node_modules is missing or older than the lock file.
ensure_node_modules() {
  check_node
  if [ ! -d "$ROOT/node_modules" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    log "installing npm dependencies"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
  fi
  ensure_contracts
}

# The compiled API, the simulators and the type checks read the shared packages (packages/*) from their dist/:
# build each one that is missing or older than its sources.
ensure_contracts() {
  local pkg
  for pkg in "$ROOT"/packages/*/; do
    pkg="${pkg%/}"
    [ -f "$pkg/tsconfig.json" ] || continue
    if [ ! -f "$pkg/dist/index.js" ] || [ -n "$(find "$pkg/src" "$pkg/package.json" "$pkg/tsconfig.json" -newer "$pkg/dist/index.js" -print -quit 2>/dev/null)" ]; then
      log "building ${pkg#"$ROOT"/}"
      (cd "$ROOT" && npx --no-install tsc -p "$pkg/tsconfig.json") || die "${pkg#"$ROOT"/} did not build"
      touch "$pkg/dist/index.js"
    fi
  done
}
