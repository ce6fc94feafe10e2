#!/usr/bin/env bash
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bash "$ROOT/scripts/infra.sh" status
bash "$ROOT/scripts/hapi.sh" status || true
bash "$ROOT/scripts/orthanc.sh" status || true
bash "$ROOT/scripts/api.sh" status
bash "$ROOT/scripts/simulators.sh" status || true
