#!/usr/bin/env bash
# Loads the seeded demo patients into HAPI once per (seed, count); the loader itself is idempotent too.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
PATIENTS="${WINTEHR_DEMO_PATIENTS:-50}"
SEED="${WINTEHR_DEMO_SEED:-42}"
# The demo imaging studies go through the imaging module to this checkout's Orthanc.
export ORTHANC_URL="${ORTHANC_URL:-http://127.0.0.1:$(orthanc_port_now)}" ORTHANC_PASSWORD_FILE="${ORTHANC_PASSWORD_FILE:-$DATA_DIR/orthanc/password}"
marker="$DATA_DIR/demo-loaded-$SEED-$PATIENTS"
if [ -f "$marker" ] && [ "$(cat "$marker")" = "$(curl -s "http://127.0.0.1:$HAPI_PORT/fhir/Patient?_summary=count" | grep -o '"total":[0-9]*' || true)" ]; then
  log "demo data already loaded ($PATIENTS patients, seed $SEED); booking today's and tomorrow's clinic"
  # The clinic day moves on: each start books Dr. Wilson's visits of the new today/tomorrow (idempotent).
  (cd "$ROOT" && node --import tsx scripts/seed/load-demo-data.ts --clinic-day-only --patients "$PATIENTS" --seed "$SEED" --fhir "http://127.0.0.1:$HAPI_PORT/fhir") \
    || log "warning: could not book today's demo clinic"
  exit 0
fi
log "loading $PATIENTS demo patients (seed $SEED) into HAPI"
(cd "$ROOT" && node --import tsx scripts/seed/load-demo-data.ts --patients "$PATIENTS" --seed "$SEED" --fhir "http://127.0.0.1:$HAPI_PORT/fhir") \
  || die "demo data failed to load"
curl -s "http://127.0.0.1:$HAPI_PORT/fhir/Patient?_summary=count" | grep -o '"total":[0-9]*' >"$marker" || true
