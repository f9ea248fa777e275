#!/usr/bin/env bash
# TUI rendering benchmarks, reported as ratios against baselines measured in
# the same run (never as timed assertions in tests):
#   View1000 / View10    what 1,000 upstreams cost over 10 (the view renders only visible rows)
#   View1000 / 16 ms     the share of one 60 Hz frame that a View() of 1,000 upstreams takes
# Usage: scripts/bench.sh [COUNT]   (default 5 runs of each benchmark; the median is used)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-5}
out=$(go test -run '^$' -bench 'View|Round' -benchmem -count "$count" ./pkg/tui)
echo "$out" | grep -E '^Benchmark'
echo "$out" | awk -v count="$count" '
  /^Benchmark/ { name=$1; sub(/-[0-9]+$/, "", name); ns[name, ++n[name]] = $3 }
  function median(name,   i, j, k, t, a) {
    k = n[name]; for (i = 1; i <= k; i++) a[i] = ns[name, i]
    for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
    return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
  }
  END {
    v10 = median("BenchmarkView10"); v1000 = median("BenchmarkView1000")
    printf "\nmedian of %d runs\n", count
    printf "View1000      %.3f ms per View()\n", v1000 / 1e6
    printf "View10        %.3f ms per View()\n", v10 / 1e6
    printf "View1000 / View10 = %.2f\n", v1000 / v10
    printf "View1000 / 16 ms frame = %.4f\n", v1000 / 16e6
  }'
