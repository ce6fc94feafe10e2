#!/usr/bin/env bash
# The tools the deployment tests need, installed on first use and cached under .data/tools/ (Debian packages through
# ensure_packages). Nothing here needs a container engine or a cluster: the manifests and the compose file are
# rendered and validated offline.
# Usage: deploy/tools.sh nginx | kustomize | kubernetes-validate | compose-check   → the tool's command on stdout
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

# Progress and install logs go to stderr; stdout (fd 3) carries only the tool's command.
exec 3>&1 1>&2
TOOLS="$DATA_DIR/tools"
mkdir -p "$TOOLS"
# Pinned: the schemas bundled with kubernetes-validate are the reference the manifests are checked against.
KUBERNETES_VALIDATE_VERSION=1.37.0
KUSTOMIZE_VERSION=v5.5.0

# Debian's nginx runs the same deploy/tls/nginx.conf as the official image. The package may start its own server on
# port 80 when installed; only then is it stopped (an nginx that was already running is somebody's).
nginx_tool() {
  if ! [ -x /usr/sbin/nginx ]; then
    ensure_packages nginx-light openssl
    if command -v service >/dev/null; then service nginx stop >/dev/null 2>&1 || true; fi
  fi
  command -v openssl >/dev/null || ensure_packages openssl
  echo /usr/sbin/nginx >&3
}

# kubectl's built-in kustomize when there is a kubectl; otherwise kustomize built from its Go module.
kustomize_tool() {
  if command -v kubectl >/dev/null && kubectl kustomize --help >/dev/null 2>&1; then echo "kubectl kustomize" >&3; return; fi
  if ! [ -x "$TOOLS/kustomize" ]; then
    command -v go >/dev/null || die "neither kubectl nor Go is installed: one of them is needed to render k8s/"
    log "building kustomize $KUSTOMIZE_VERSION from its Go module (one-time)"
    GOBIN="$TOOLS" go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" || die "kustomize did not build"
  fi
  echo "$TOOLS/kustomize build" >&3
}

# The Kubernetes OpenAPI schemas, bundled in a Python package: validation needs no network once installed.
kubernetes_validate_tool() {
  local venv="$TOOLS/kube-venv"
  if ! [ -x "$venv/bin/kubernetes-validate" ] || ! "$venv/bin/kubernetes-validate" --version 2>/dev/null | grep -q "$KUBERNETES_VALIDATE_VERSION"; then
    command -v python3 >/dev/null || ensure_packages python3 python3-venv
    python3 -m venv "$venv" >/dev/null 2>&1 || { ensure_packages python3-venv; rm -rf "$venv"; python3 -m venv "$venv"; }
    log "installing kubernetes-validate $KUBERNETES_VALIDATE_VERSION (one-time)"
    "$venv/bin/pip" install -q "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" || die "pip install kubernetes-validate failed"
  fi
  echo "$venv/bin/kubernetes-validate" >&3
}

# `docker compose config` needs the compose plugin, which Debian 12 does not package (its docker-compose 1.29 predates
# the compose specification this file uses): deploy/compose-check is the same compose-spec loader, built with Go.
compose_check_tool() {
  if docker compose version >/dev/null 2>&1; then echo "docker compose" >&3; return; fi
  local src="$ROOT/deploy/compose-check"
  if ! [ -x "$TOOLS/compose-check" ] || [ -n "$(find "$src" -newer "$TOOLS/compose-check" -print -quit)" ]; then
    command -v go >/dev/null || die "neither the docker compose plugin nor Go is installed: one is needed to check docker-compose.yml"
    log "building deploy/compose-check (one-time)"
    (cd "$src" && go build -o "$TOOLS/compose-check"  .) || die "compose-check did not build"
  fi
  echo "$TOOLS/compose-check" >&3
}

case "${1:-}" in
  nginx) nginx_tool ;;
  kustomize) kustomize_tool ;;
  kubernetes-validate) kubernetes_validate_tool ;;
  compose-check) compose_check_tool ;;
  *) echo "usage: $0 nginx | kustomize | kubernetes-validate | compose-check" >&2; exit 2 ;;
esac
