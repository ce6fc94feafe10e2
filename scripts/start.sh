#!/usr/bin/env bash
# `npm start`: the whole system on embedded defaults, demo data loaded. Idempotent.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
started=$SECONDS
ensure_node_modules
bash "$ROOT/scripts/infra.sh" up
bash "$ROOT/scripts/hapi.sh" start
bash "$ROOT/scripts/orthanc.sh" start
# Demo data before the API: the API links its demo accounts to the seeded Practitioners and Patients.
if [ "${WINTEHR_SKIP_DEMO:-0}" != 1 ]; then
  bash "$ROOT/scripts/demo-data.sh"
fi
bash "$ROOT/scripts/simulators.sh" start
bash "$ROOT/scripts/api.sh" start
ok "WintEHR is up in $((SECONDS - started))s"
cat <<MSG
  Web app        http://localhost:$API_PORT/
  API health     http://localhost:$API_PORT/health/ready
  FHIR (HAPI)    http://127.0.0.1:$HAPI_PORT/fhir   (localhost only; clients use the façade)
  Metrics        http://localhost:$API_PORT/metrics
  Orthanc (PACS)  http://127.0.0.1:$ORTHANC_PORT  (localhost only; viewers use the API's /dicomweb)
  Surescripts sim http://127.0.0.1:$SIM_PORT  (e-prescribing network simulator)
  Logs           $LOG_DIR
  Demo logins    dr.wilson nurse.joy pharm.lee lab.kim admin maria.garcia john.smith
                 password: ${WINTEHR_DEMO_PASSWORD:-Wintehr-Demo-2026!}
  Stop with      npm stop    (data is kept in $DATA_DIR)
MSG
