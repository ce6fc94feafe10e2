#!/usr/bin/env bash
# A self-signed certificate for a trial run of docker-compose.yml (tls.crt + tls.key in deploy/tls/certs, git-ignored).
# Browsers will warn: in production mount a certificate from your CA or ACME client instead (deploy/README.md).
# Usage: deploy/tls/dev-cert.sh [HOSTNAME]   (default localhost)
set -euo pipefail
host="${1:-localhost}"
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/certs"
mkdir -p "$dir"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 -subj "/CN=$host" \
  -addext "subjectAltName=DNS:$host" -keyout "$dir/tls.key" -out "$dir/tls.crt" 2>/dev/null
# The nginx container runs as uid 101 and must read the key.
chmod 644 "$dir/tls.crt"
chmod 640 "$dir/tls.key"
if [ "$(id -u)" = 0 ]; then chgrp 101 "$dir/tls.key"; else chmod 644 "$dir/tls.key"; fi
echo "wrote $dir/tls.crt and tls.key for $host (valid 30 days)"
