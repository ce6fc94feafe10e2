#!/usr/bin/env bash
# Browser tests of the web app against the local stack: headless Debian Chromium driven by playwright-core,
# axe-core accessibility checks, a screenshot per step under .data/e2e-artifacts/.
# Usage: scripts/e2e.sh [test files...]   (default: web/e2e/*.e2e.ts)
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM_PATH" ]; then ensure_packages chromium; fi
[ -x "$CHROMIUM_PATH" ] || die "no Chromium at $CHROMIUM_PATH (set CHROMIUM_PATH)"
export CHROMIUM_PATH

[ -f node_modules/axe-core/axe.min.js ] || die "axe-core is missing: run npm install at the repository root"

# The stack: infrastructure, HAPI, demo data, then the API (which builds and serves web/dist when stale).
bash scripts/infra.sh up
bash scripts/hapi.sh start
bash scripts/demo-data.sh
log "building web"
(cd web && npx --no-install vite build --logLevel error) || die "web build failed"
# An API that already answers is used as it is (it serves web/dist from disk, so the fresh build shows).
if http_ok "http://127.0.0.1:$API_PORT/health/ready"; then log "API already up on :$API_PORT"; else bash scripts/api.sh start; fi

export E2E_BASE_URL="${E2E_BASE_URL:-http://127.0.0.1:$API_PORT}"
export E2E_ARTIFACTS="${E2E_ARTIFACTS:-$DATA_DIR/e2e-artifacts}"
mkdir -p "$E2E_ARTIFACTS"
if [ $# -eq 0 ]; then set -- web/e2e/*.e2e.ts; fi
log "running browser tests: $*"
# One file at a time: two CPUs, one Chromium.
node --import tsx --test --test-concurrency=1 --test-reporter=spec "$@"
ok "screenshots in $E2E_ARTIFACTS"
