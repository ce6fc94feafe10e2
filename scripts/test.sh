#!/usr/bin/env bash
# `npm test`: type checks, unit tests, and integration tests against the real HAPI FHIR JPA, PostgreSQL
# and Redis. Starts whatever of them is not running (and stops what it started, unless
# WINTEHR_KEEP_STACK=1). Give HAPI_BASE_URL / DATABASE_URL / REDIS_URL to use servers elsewhere.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
started=$SECONDS
ensure_node_modules

stop_after=()
cleanup() {
  if [ "${WINTEHR_KEEP_STACK:-0}" != 1 ]; then
    for s in "${stop_after[@]}"; do bash "$ROOT/scripts/${s%% *}" "${s#* }" >/dev/null 2>&1 || true; done
  fi
}
trap cleanup EXIT

if [ -z "${DATABASE_URL:-}" ] || [ -z "${REDIS_URL:-}" ]; then
  if ! bash "$ROOT/scripts/infra.sh" status | grep -q 'postgres  up' || ! bash "$ROOT/scripts/infra.sh" status | grep -q 'redis     up'; then
    stop_after+=("infra.sh down")
  fi
  bash "$ROOT/scripts/infra.sh" up
fi
if [ -z "${HAPI_BASE_URL:-}" ]; then
  if ! http_ok "http://127.0.0.1:$HAPI_PORT/fhir/metadata"; then stop_after=("hapi.sh stop" "${stop_after[@]}"); fi
  bash "$ROOT/scripts/hapi.sh" start
fi
export HAPI_BASE_URL="${HAPI_BASE_URL:-http://127.0.0.1:$HAPI_PORT/fhir}"
export DATABASE_URL="${DATABASE_URL:-postgres://wintehr:wintehr@127.0.0.1:$PG_PORT/wintehr_test}"
# Redis database 1: tests never share rate-limit budgets, queues or events with a running dev stack (db 0).
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:$REDIS_PORT/1}"
export NODE_ENV=test LOG_LEVEL=silent

log "type-checking"
(cd "$ROOT" && npm run --silent typecheck) || die "type check failed"

log "seed generator tests"
(cd "$ROOT" && node --import tsx --test scripts/seed/*.spec.ts) || die "seed generator tests failed"

log "API unit + integration tests"
results="$DATA_DIR/jest-results.json"
rm -f "$results"
# --forceExit: BullMQ/ioredis reconnect timers can outlive a suite by a few seconds; the results are final.
set +e
(cd "$ROOT/services/api" && npx --no-install jest --ci --runInBand --forceExit --json --outputFile "$results")
jest_rc=$?
set -e
if [ -f "$results" ]; then
  node -e 'const r=require(process.argv[1]); console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed`)' "$results"
fi
[ "$jest_rc" = 0 ] || die "API tests failed"

log "simulator tests"
(cd "$ROOT/services/simulators" && npx --no-install jest --ci --forceExit) || die "simulator tests failed"

log "web unit tests"
(cd "$ROOT/web" && npm run --silent test) || die "web unit tests failed"

log "browser tests: the web app in headless Chromium against this checkout's API (own port and database)"
E2E_ISOLATED=1 bash "$ROOT/scripts/e2e.sh" || die "browser tests failed (screenshots in $DATA_DIR/e2e-artifacts)"

ok "all tests passed in $((SECONDS - started))s"
