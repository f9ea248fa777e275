#!/usr/bin/env bash
# Go benchmarks of updoc's pure parts, recorded and compared with benchstat
# (golang.org/x/perf/cmd/benchstat, pinned below):
#   graph.Load of 10,000 upstreams          BenchmarkLoad10000
#   diagnosis of 10,000 flat results        BenchmarkDiagnoseFlat10000
#   diagnosis of a chain whose bottom is down, n = 100, 400, 2000
#                                           BenchmarkDiagnoseChain
#   JSON (indented, one line) and table rendering of 10,000
#                                           BenchmarkWriteJSON10000, BenchmarkWriteJSONLine10000,
#                                           BenchmarkWriteTable10000
#   diagnosis + JSON of 10,000 in sequence  BenchmarkDiagnoseJSON10000
#   every text output of 2,500 and 20,000   BenchmarkRenderScale (linear: about 8x)
#
# Usage:
#   scripts/benchstat.sh run FILE [COUNT]   run them COUNT times (default 6) and save to FILE
#   scripts/benchstat.sh OLD NEW            compare two saved runs (benchstat OLD NEW)
# Before and after a change:
#   git stash && scripts/benchstat.sh run /tmp/old.txt && git stash pop
#   scripts/benchstat.sh run /tmp/new.txt && scripts/benchstat.sh /tmp/old.txt /tmp/new.txt
# BENCH=REGEXP narrows the benchmarks (default: all of the above).
set -euo pipefail
cd "$(dirname "$0")/.."
benchstat_version=v0.0.0-20260908200009-22c9c6c9d4da
usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
case "${1:-}" in
  run)
    [ $# -ge 2 ] || usage
    out=$2 count=${3:-6}
    bench=${BENCH:-'Load10000|DiagnoseFlat10000|DiagnoseChain|Write(JSON|JSONLine|Table)10000|DiagnoseJSON10000|RenderScale'}
    # -benchtime 1x: one iteration per count; the larger ones take seconds
    # each today, and benchstat's statistics come from -count.
    go test -run '^$' -bench "$bench" -benchmem -benchtime 1x -count "$count" \
      ./pkg/graph ./pkg/diagnose ./pkg/report | tee "$out"
    ;;
  "" | -h | --help) usage ;;
  *)
    [ $# -eq 2 ] || usage
    go run "golang.org/x/perf/cmd/benchstat@$benchstat_version" "$1" "$2"
    ;;
esac
