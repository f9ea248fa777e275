#!/usr/bin/env bash
# fuzz.sh — runs each of updoc's fuzz targets for a while (default 30s
# each) and fails when one finds a failing input (issue 12). A failing
# input is written under the package's testdata/fuzz/FuzzXxx/, where
# `go test` (and so .ci/run) replays it from then on as part of the seed
# corpus.
#
#   scripts/fuzz.sh [DURATION]        # e.g. scripts/fuzz.sh 10s
#
# The targets probe nothing: they run in-process on bytes and strings.
set -euo pipefail
cd "$(dirname "$0")/.."
time=${1:-30s}
targets=(
  "./pkg/graph FuzzLoad"                      # the graph loader, aliases included
  "./internal/textsafe FuzzString"            # its output never holds a control byte
  "./pkg/report FuzzRedact"                   # a planted secret never survives
  "./pkg/diagnose FuzzDeprecationHeaders"
  "./pkg/diagnose FuzzFingerprints"
)
failed=0
for t in "${targets[@]}"; do
  read -r pkg fn <<<"$t"
  echo "== $fn ($pkg, $time)"
  # -fuzzminimizetime: minimizing each new interesting input may otherwise
  # take up to a minute of the run (0 execs/sec meanwhile).
  if ! go test "$pkg" -run '^$' -fuzz "^$fn\$" -fuzztime "$time" -fuzzminimizetime 2s; then
    failed=$((failed + 1))
  fi
done
if [ "$failed" -gt 0 ]; then
  echo "fuzz.sh: $failed of ${#targets[@]} targets failed; the failing inputs are under testdata/fuzz/ of their package" >&2
  exit 1
fi
echo "fuzz.sh: ${#targets[@]} targets, $time each, no failure"
