#!/usr/bin/env bash
# soak.sh — `updoc serve` against the whole fault lab at a 1 s interval for
# 10 minutes (issue 14), printing its goroutines and resident memory (from
# its own /metrics and /proc) at the start, every minute and at the end. It
# exits non-zero when they grew (more than 10 goroutines, or 25 % of RSS).
#
#   scripts/soak.sh [--duration 10m] [--interval 1s] [--every 1m] [--warmup 20s]
#
# Everything binds 127.0.0.1; it runs in a private network namespace
# (unshare -rn) where only loopback exists.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v unshare >/dev/null; then
  echo "soak.sh: unshare (util-linux) is needed to run with loopback only; install util-linux" >&2
  exit 1
fi
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
CGO_ENABLED=0 go build -trimpath -ldflags "$(scripts/ldflags.sh)" -o "$bin/updoc" ./cmd/updoc
go build -o "$bin/updoc-soak" ./scripts/soak
unshare -rnpf --mount-proc sh -c 'ip link set lo up && exec "$0" "$@"' \
  "$bin/updoc-soak" --updoc "$bin/updoc" "$@"
