#!/usr/bin/env bash
# The loopback benchmark of issue 11: `updoc check -o json` against a floor
# prober (the simplest Go program making the same requests), alternately,
# in one world of 20 HTTP servers and a DNS zone on 127.0.0.1. It prints the
# medians per N and --samples mode (wall time, TCP connects, HTTP requests
# and DNS questions counted at the servers, peak RSS), then updoc/floor last.
#
# It runs inside a private network namespace (unshare, as an unprivileged
# user) where only loopback exists, so nothing can leave the machine.
#
# Usage: scripts/bench-check.sh [updoc-bench flags]
#   --sizes 250,1000   upstream counts N          --with-10000   also N=10000 (slow)
#   --samples 0,10     --samples modes            --runs 3       runs of each prober (median)
#   --faults           ~10 % refused, 503, slow   --concurrency 64
#   --chain 2000       instead of --sizes: a depends_on chain whose bottom is a
#                      refused port; prints the whole check's time and report size
# Example: scripts/bench-check.sh --sizes 1000 --samples 0 --runs 5
#          scripts/bench-check.sh --chain 2000 --samples 0
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v unshare >/dev/null; then
  echo "bench-check: unshare (util-linux) is needed to run the benchmark with loopback only; install util-linux" >&2
  exit 1
fi
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
# Both built as the release is (goreleaser.yaml): static, without cgo — a
# dynamically linked binary starts about 5 ms later (the loader, libc).
export CGO_ENABLED=0
go build -trimpath -ldflags "$(scripts/ldflags.sh)" -o "$bin/updoc" ./cmd/updoc
go build -trimpath -o "$bin/updoc-bench" ./bench/cmd/updoc-bench
# shellcheck disable=SC2016 # $0 and $@ expand inside the namespace's shell
exec unshare -rnpf --mount-proc sh -c 'ip link set lo up && exec "$0" "$@"' \
  "$bin/updoc-bench" --updoc "$bin/updoc" "$@"
