#!/usr/bin/env bash
# Start-up time of issue 11: `updoc version` and `updoc validate` of 100
# upstreams against two floors, /bin/true and an empty Go program (func
# main() {}); updoc and the empty program are built as goreleaser builds
# updoc (CGO_ENABLED=0, -trimpath, -ldflags '-s -w'). It runs the four round robin, RUNS times
# each, and prints the median wall time and CPU time (user + system) of
# each, in ms and as a ratio to the empty Go program: a Go binary cannot
# start faster than that, and the ratio holds up on a loaded machine where
# the milliseconds do not.
#
# The graph's urls are IP literals on loopback (validate resolves and dials
# nothing); the runs happen in a private network namespace (unshare, as an
# unprivileged user) where only loopback exists all the same.
#
# Each line also has the minor page faults (pages first touched), a count
# that does not move with the load on the machine.
#
# Usage: scripts/startup.sh [RUNS]          (default 30)
#        BASELINE=path/to/updoc scripts/startup.sh   also measures that build
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-30}
if ! command -v unshare >/dev/null; then
  echo "startup: unshare (util-linux) is needed to run with loopback only; install util-linux" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export CGO_ENABLED=0
flags=(-trimpath -ldflags '-s -w')
# updoc alone is stamped with its commit (scripts/ldflags.sh; -X adds no start-up work)
go build -trimpath -ldflags "-s -w $(scripts/ldflags.sh)" -o "$tmp/updoc" ./cmd/updoc
go build -o "$tmp/updoc-startup" ./bench/cmd/updoc-startup
mkdir "$tmp/empty"
printf 'package main\n\nfunc main() {}\n' >"$tmp/empty/main.go"
printf 'module empty\n' >"$tmp/empty/go.mod"
(cd "$tmp/empty" && GOWORK=off go build "${flags[@]}" -o "$tmp/empty-go" .)
set -- --updoc "$tmp/updoc" --empty "$tmp/empty-go" --runs "$runs" --dir "$tmp"
if [ -n "${BASELINE:-}" ]; then
  set -- "$@" --baseline "$(realpath "$BASELINE")"
fi
# shellcheck disable=SC2016 # $0 and $@ expand inside the namespace's shell
unshare -rnpf --mount-proc sh -c 'ip link set lo up && exec "$0" "$@"' "$tmp/updoc-startup" "$@"
