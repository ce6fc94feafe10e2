#!/usr/bin/env bash
# `npm test`: type checks, unit tests, and integration tests against the real HAPI FHIR JPA, PostgreSQL
# and Redis. Starts whatever of them is not running (and stops what it started, unless
# WINTEHR_KEEP_STACK=1). Give HAPI_BASE_URL / DATABASE_URL / REDIS_URL to use servers elsewhere.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
started=$SECONDS
ensure_node_modules

# Every start script records what it really started (scripts/lib.sh, "What a run started"); the clean-up stops exactly
# that, so a stack that was already up (npm start, another checkout's PostgreSQL) is left as it was.
open_ledger || true
trap release_started EXIT
trap 'exit 143' TERM INT   # a timeout or Ctrl-C still runs the EXIT clean-up

if [ -z "${DATABASE_URL:-}" ] || [ -z "${REDIS_URL:-}" ]; then bash "$ROOT/scripts/infra.sh" up; fi
if [ -z "${HAPI_BASE_URL:-}" ]; then bash "$ROOT/scripts/hapi.sh" start; fi
if [ -z "${ORTHANC_URL:-}" ]; then bash "$ROOT/scripts/orthanc.sh" start; fi
ORTHANC_PORT="$(orthanc_port_now)"
export HAPI_BASE_URL="${HAPI_BASE_URL:-http://127.0.0.1:$HAPI_PORT/fhir}"
export DATABASE_URL="${DATABASE_URL:-postgres://wintehr:wintehr@127.0.0.1:$PG_PORT/wintehr_test}"
# Redis database 1: tests never share rate-limit budgets, queues or events with a running dev stack (db 0).
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:$REDIS_PORT/1}"
export ORTHANC_URL="${ORTHANC_URL:-http://127.0.0.1:$ORTHANC_PORT}" ORTHANC_PASSWORD_FILE="${ORTHANC_PASSWORD_FILE:-$DATA_DIR/orthanc/password}"
export NODE_ENV=test LOG_LEVEL=silent

log "harness tests (a run stops what it started and nothing else; browser-test TOTP codes; benchmark report rules)"
(cd "$ROOT" && node --import tsx --test scripts/tests/*.spec.ts scripts/benchmarks/*/*.spec.ts web/e2e/support/*.spec.ts) || die "harness tests failed"

log "type-checking"
(cd "$ROOT" && npm run --silent typecheck) || die "type check failed"

log "lint (ESLint: correctness and module boundaries) and format (Prettier)"
(cd "$ROOT" && npm run --silent lint) || die "lint failed (npx eslint --fix may help)"
(cd "$ROOT" && npm run --silent format:check) || die "formatting differs: run npm run format"

log "seed generator tests"
(cd "$ROOT" && node --import tsx --test scripts/seed/*.spec.ts) || die "seed generator tests failed"

log "API unit + integration tests"
results="$DATA_DIR/jest-results.json"
rm -f "$results"
# --forceExit: BullMQ/ioredis reconnect timers can outlive a suite by a few seconds; the results are final.
# One test file at a time (they share HAPI and the database), but in a worker that is replaced once it holds more
# than 1.5 GB after a file: in band, the ~200 files' module registries piled up past Node's 4 GB heap and the run
# died of it. A fresh worker per threshold costs a few seconds.
set +e
(cd "$ROOT/services/api" && npx --no-install jest --ci --maxWorkers=1 --workerIdleMemoryLimit=1536MB --forceExit --json --outputFile "$results")
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
