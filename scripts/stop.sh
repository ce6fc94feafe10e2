#!/usr/bin/env bash
# `npm stop`: stops every process of the local stack; data under .data/ is kept.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
bash "$ROOT/scripts/api.sh" stop
bash "$ROOT/scripts/simulators.sh" stop
bash "$ROOT/scripts/orthanc.sh" stop
bash "$ROOT/scripts/hapi.sh" stop
bash "$ROOT/scripts/infra.sh" down
