#!/usr/bin/env bash
# Runs goreleaser v2 at the version pinned here, from the Go module proxy:
#   scripts/goreleaser.sh ARGS...   `go run` of the pinned module (the build is
#                                   cached in GOCACHE, the module in GOMODCACHE)
#   scripts/goreleaser.sh --path    builds it once into the tools cache
#                                   ($UPDOC_TOOLS, default ~/.cache/updoc-tools)
#                                   and prints the binary's path (.ci/run exports
#                                   it as UPDOC_GORELEASER for the goreleaser
#                                   check test)
# v2.16.0 is the newest goreleaser whose go.mod this project's Go (1.26.8)
# can build, and whose dependencies the module proxy serves: v2.17.0 needs
# go.digitalxero.dev/go-msix, which proxy.golang.org refuses (403), and
# v2.18 needs Go 1.27.
set -euo pipefail
version=v2.16.0
module=github.com/goreleaser/goreleaser/v2
if [ "${1:-}" = "--path" ]; then
  dir=${UPDOC_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/updoc-tools}/goreleaser-$version
  if [ ! -x "$dir/goreleaser" ]; then
    mkdir -p "$dir"
    GOBIN=$dir go install "$module@$version" >&2
  fi
  echo "$dir/goreleaser"
  exit 0
fi
# goreleaser reads nothing of git when the clone has no remote (a snapshot
# then says commit "none"): goreleaser.yaml falls back to these.
if commit=$(git rev-parse HEAD 2>/dev/null); then
  export UPDOC_COMMIT=$commit UPDOC_SHORT_COMMIT=${commit:0:7}
  UPDOC_COMMIT_DATE=$(git log -1 --format=%cI)
  export UPDOC_COMMIT_DATE
fi
exec go run "$module@$version" "$@"
