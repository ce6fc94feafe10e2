#!/usr/bin/env bash
# Browser tests of the web app against the local stack: headless Debian Chromium driven by playwright-core,
# axe-core accessibility checks, a screenshot per step under .data/e2e-artifacts/.
# Usage: scripts/e2e.sh [test files...]   (default: web/e2e/*.e2e.ts)
# E2E_ISOLATED=1 (npm test): its own API and simulator on free ports (E2E_PORT / E2E_SIM_PORT to choose), database
# wintehr_e2e and Redis db 2, emptied first. Otherwise the running API on $PORT (8000), started if down.
# Stops at the end what it started (unless WINTEHR_KEEP_STACK=1, or npm test called it: npm test does it then).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

open_ledger || true
e2e_cleanup() { :; }
trap 'e2e_cleanup; release_started' EXIT
trap 'exit 143' TERM INT   # so a timeout or Ctrl-C still runs the EXIT clean-up

CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM_PATH" ]; then ensure_packages chromium; fi
[ -x "$CHROMIUM_PATH" ] || die "no Chromium at $CHROMIUM_PATH (set CHROMIUM_PATH)"
export CHROMIUM_PATH

[ -f node_modules/axe-core/axe.min.js ] || die "axe-core is missing: run npm install at the repository root"

# The stack: infrastructure, HAPI, demo data, then the API (which builds and serves web/dist when stale).
bash scripts/infra.sh up
bash scripts/hapi.sh start
bash scripts/orthanc.sh start
ORTHANC_PORT="$(orthanc_port_now)"
bash scripts/demo-data.sh
# One browser-test run at a time per PostgreSQL/Redis: the isolated runs of every checkout share database wintehr_e2e
# and Redis db 2 (a second run would empty them under the first), and a run of this checkout would rebuild the
# web/dist the other one's API serves.
lock="${TMPDIR:-/tmp}/wintehr-e2e-pg$PG_PORT-redis$REDIS_PORT.lock"
touch "$lock" 2>/dev/null || true
exec 8<"$lock"   # read-only: another user's lock file works too; services started below get 8>&- (a process left
                 # by a killed run must not hold the lock)
if ! flock -n 8; then
  log "another browser-test run is using this PostgreSQL/Redis: waiting for it to finish (up to 30 min)"
  flock -w 1800 8 || die "the other browser-test run did not finish within 30 minutes ($lock)"
fi
log "building web"
# Always a production build: npm test exports NODE_ENV=test, and vite would then bundle development React, whose
# StrictMode runs effects twice (two MFA enrolments, a QR code whose secret is no longer the pending one).
(cd web && NODE_ENV=production npx --no-install vite build --logLevel error) || die "web build failed"
if [ "${E2E_ISOLATED:-0}" = 1 ]; then
  # `npm test`: an API of this checkout on its own free port, database (emptied) and Redis database, so the run
  # neither depends on nor disturbs a stack that may already be running (MFA enrolments, queues, limits).
  E2E_PORT="${E2E_PORT:-$(free_port)}"
  E2E_SIM_PORT="${E2E_SIM_PORT:-$(free_port)}"
  while [ "$E2E_SIM_PORT" = "$E2E_PORT" ]; do E2E_SIM_PORT="$(free_port)"; done
  E2E_CH_PORT="${E2E_CH_PORT:-$(free_port)}"
  while [ "$E2E_CH_PORT" = "$E2E_PORT" ] || [ "$E2E_CH_PORT" = "$E2E_SIM_PORT" ]; do E2E_CH_PORT="$(free_port)"; done
  # Mail (SMTP + inbox) and SMS simulators on free ports too, each distinct from the ports already chosen.
  e2e_taken="$E2E_PORT $E2E_SIM_PORT $E2E_CH_PORT"
  e2e_free() { local p; p="$(free_port)"; while [[ " $e2e_taken " == *" $p "* ]]; do p="$(free_port)"; done; e2e_taken="$e2e_taken $p"; echo "$p"; }
  E2E_MAIL_PORT="${E2E_MAIL_PORT:-$(e2e_free)}"; e2e_taken="$e2e_taken $E2E_MAIL_PORT"
  E2E_SMTP_PORT="${E2E_SMTP_PORT:-$(e2e_free)}"; e2e_taken="$e2e_taken $E2E_SMTP_PORT"
  E2E_SMS_PORT="${E2E_SMS_PORT:-$(e2e_free)}"
  E2E_PID="$RUN_DIR/e2e-api.pid"
  # A browser-test API or simulator left by a killed run of this checkout (the lock says no run uses them).
  stop_pidfile "stale browser-test API" "$E2E_PID" 15
  stop_pidfile "stale browser-test simulator" "$RUN_DIR/e2e-simulator.pid" 10
  stop_pidfile "stale browser-test clearinghouse" "$RUN_DIR/e2e-clearinghouse.pid" 10
  stop_pidfile "stale browser-test mail simulator" "$RUN_DIR/e2e-mail.pid" 10
  stop_pidfile "stale browser-test SMS simulator" "$RUN_DIR/e2e-sms.pid" 10
  port_in_use "$E2E_PORT" && die "port $E2E_PORT is in use: set E2E_PORT to a free port"
  port_in_use "$E2E_SIM_PORT" && die "port $E2E_SIM_PORT is in use: set E2E_SIM_PORT to a free port"
  port_in_use "$E2E_CH_PORT" && die "port $E2E_CH_PORT is in use: set E2E_CH_PORT to a free port"
  e2e_db="postgres://wintehr:wintehr@127.0.0.1:$PG_PORT/wintehr_e2e"
  psql_app wintehr wintehr_e2e -c 'DROP SCHEMA IF EXISTS public CASCADE' -c 'CREATE SCHEMA public' >/dev/null \
    || die "cannot reset database wintehr_e2e"
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" -n 2 flushdb >/dev/null || die "cannot empty Redis database 2"
  # Its own Surescripts simulator too, answering to this API's inbound endpoint, and its own eligibility clearinghouse.
  e2e_sim() { SIMULATOR_PORT="$E2E_SIM_PORT" SIM_PID_FILE="$RUN_DIR/e2e-simulator.pid" SIM_LOG_FILE="$LOG_DIR/e2e-simulator.log" \
    CLEARINGHOUSE_START=1 CLEARINGHOUSE_PORT="$E2E_CH_PORT" CH_PID_FILE="$RUN_DIR/e2e-clearinghouse.pid" CH_LOG_FILE="$LOG_DIR/e2e-clearinghouse.log" \
    NOTIFY_SIM_START=1 MAIL_HTTP_PORT="$E2E_MAIL_PORT" MAIL_SMTP_PORT="$E2E_SMTP_PORT" MAIL_PID_FILE="$RUN_DIR/e2e-mail.pid" MAIL_LOG_FILE="$LOG_DIR/e2e-mail.log" \
    SMS_PORT="$E2E_SMS_PORT" SMS_PID_FILE="$RUN_DIR/e2e-sms.pid" SMS_LOG_FILE="$LOG_DIR/e2e-sms.log" \
    EHR_INBOUND_URL="http://127.0.0.1:$E2E_PORT/api/erx/inbound" bash scripts/simulators.sh "$1" 8>&-; }
  e2e_cleanup() { stop_pidfile "browser-test API" "$E2E_PID" 15; e2e_sim stop; }
  e2e_sim start
  bash scripts/api.sh build
  log "starting the browser-test API on :$E2E_PORT (simulator :$E2E_SIM_PORT)"
  # Every browser test signs in from 127.0.0.1 as a handful of demo users: lift the per-IP/per-user login budgets
  # (their own behaviour is covered by the API tests) so the suite never waits out a 429.
  # The specs also seed records straight into HAPI, behind the API (production never writes there): the chart cache,
  # which only sees writes made through the API, is off here and covered by core/cache/chart-cache.int.test.ts.
  (cd services/api && exec env NODE_ENV=development LOG_LEVEL=warn PORT="$E2E_PORT" LOGIN_RATE_PER_IP=100000 LOGIN_RATE_PER_USER=10000 CHART_CACHE_TTL_SECONDS=0 PUBLIC_BASE_URL="http://localhost:$E2E_PORT" \
    SMTP_HOST=127.0.0.1 SMTP_PORT="$E2E_SMTP_PORT" SMS_BASE_URL="http://127.0.0.1:$E2E_SMS_PORT" \
    SURESCRIPTS_URL="http://127.0.0.1:$E2E_SIM_PORT" CLEARINGHOUSE_URL="http://127.0.0.1:$E2E_CH_PORT" DATABASE_URL="$e2e_db" REDIS_URL="redis://127.0.0.1:$REDIS_PORT/2" HAPI_BASE_URL="http://127.0.0.1:$HAPI_PORT/fhir" \
    ORTHANC_URL="http://127.0.0.1:$ORTHANC_PORT" ORTHANC_PASSWORD_FILE="$DATA_DIR/orthanc/password" \
    WEB_DIST_DIR="$ROOT/web/dist" nohup node dist/main.js </dev/null >"$LOG_DIR/e2e-api.log" 2>&1) 8>&- &
  echo $! >"$E2E_PID"   # exec: the pid is node's own, so the clean-up stops the API itself
  wait_for "browser-test API" 90 http_ok "http://127.0.0.1:$E2E_PORT/health/ready" \
    || { tail -n 30 "$LOG_DIR/e2e-api.log" >&2; die "the browser-test API did not become ready"; }
  # The API creates the demo accounts just after it starts listening.
  demo_users_ready() {
    [ "$(psql_app wintehr wintehr_e2e -c "SELECT count(*) >= 7 FROM users WHERE is_demo" 2>/dev/null)" = t ]
  }
  wait_for "demo accounts" 90 demo_users_ready || die "the browser-test API did not create the demo accounts (see $LOG_DIR/e2e-api.log)"
  API_PORT="$E2E_PORT"
else
  # An API that already answers is used as it is (it serves web/dist from disk, so the fresh build shows).
  if http_ok "http://127.0.0.1:$API_PORT/health/ready"; then log "API already up on :$API_PORT"; else bash scripts/api.sh start 8>&-; fi
fi

export E2E_BASE_URL="${E2E_BASE_URL:-http://127.0.0.1:$API_PORT}"
export E2E_HAPI_URL="${E2E_HAPI_URL:-http://127.0.0.1:$HAPI_PORT/fhir}"
# The Surescripts simulator this run's API talks to (specs originate pharmacy requests from it).
export E2E_SURESCRIPTS_URL="${E2E_SURESCRIPTS_URL:-http://127.0.0.1:${E2E_SIM_PORT:-${SIMULATOR_PORT:-8091}}}"
# The mail and SMS simulators' inboxes (specs read sign-in codes and invitation links from them).
export E2E_MAIL_URL="${E2E_MAIL_URL:-http://127.0.0.1:${E2E_MAIL_PORT:-${MAIL_HTTP_PORT:-8093}}}"
export E2E_SMS_URL="${E2E_SMS_URL:-http://127.0.0.1:${E2E_SMS_PORT:-${SMS_PORT:-8094}}}"
export E2E_ARTIFACTS="${E2E_ARTIFACTS:-$DATA_DIR/e2e-artifacts}"
mkdir -p "$E2E_ARTIFACTS"
if [ $# -eq 0 ]; then set -- web/e2e/*.e2e.ts; fi
log "running browser tests: $*"
# One file at a time: two CPUs, one Chromium.
run_log="$E2E_ARTIFACTS/run.log"
if ! node --import tsx --test --test-concurrency=1 --test-reporter=spec "$@" 8<&- 2>&1 | tee "$run_log"; then
  # A spec that fails is run once more on its own, as Playwright's CI retries do: a browser step racing a closing
  # transition on a loaded machine must not hide the rest of the run, but it is reported, and failing twice fails.
  mapfile -t failed < <(grep -oE 'test at [^ ]*web/e2e/[^ :]+\.e2e\.ts' "$run_log" | sed -E 's/^test at (.*\/)?(web\/e2e\/)/\2/' | sort -u)
  [ "${#failed[@]}" -gt 0 ] || die "browser tests failed (screenshots in $E2E_ARTIFACTS)"
  log "retrying the failed spec(s) once: ${failed[*]}"
  node --import tsx --test --test-concurrency=1 --test-reporter=spec "${failed[@]}" 8<&- \
    || die "browser tests failed twice: ${failed[*]} (screenshots in $E2E_ARTIFACTS)"
  printf '%s\n' "${failed[@]}" >"$E2E_ARTIFACTS/flaky.txt"
  log "FLAKY (failed once, passed on retry): ${failed[*]} — listed in $E2E_ARTIFACTS/flaky.txt"
fi
ok "screenshots in $E2E_ARTIFACTS"
