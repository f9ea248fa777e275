#!/usr/bin/env bash
# memory.sh — peak memory of `updoc check` against hostile upstreams and
# files (issue 12): endless headers in latency samples, 200 endless bodies,
# 100 upstreams × 16 targets with 1 MiB bodies, and /dev/zero as -f, on
# stdin and as tls.ca_file. Each must stay within 150 MiB; the script
# exits non-zero when one does not.
#
#   scripts/memory.sh [--bound-mib 150]
#
# Everything binds 127.0.0.1; the measurement runs in a private network
# namespace (unshare -rn) where only loopback exists.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v unshare >/dev/null; then
  echo "memory.sh: unshare (util-linux) is needed to run with loopback only; install util-linux" >&2
  exit 1
fi
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
CGO_ENABLED=0 go build -trimpath -ldflags "$(scripts/ldflags.sh)" -o "$bin/updoc" ./cmd/updoc
go build -o "$bin/updoc-memory" ./bench/cmd/updoc-memory
unshare -rnpf --mount-proc sh -c 'ip link set lo up && exec "$0" "$@"' \
  "$bin/updoc-memory" --updoc "$bin/updoc" "$@"
