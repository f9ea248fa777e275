#!/usr/bin/env bash
# Prints the -ldflags that stamp `updoc version` with what git says of this
# checkout, for builds that cannot rely on Go's VCS stamping (GOFLAGS has
# -buildvcs=false, or the build runs outside the checkout):
#   commit   `git rev-parse HEAD`, with -dirty when tracked files differ
#   date     the commit's date (so two builds of one commit are identical)
#   version  `git describe --tags --match 'v*'` without its v, when a tag exists
# Without git, or outside a checkout, it prints nothing and the binary says
# "unknown" (pkg/version): only when it truly is unknown.
#
# Usage: go build -ldflags "$(scripts/ldflags.sh)" ./cmd/updoc
# goreleaser.yaml sets the same variables from its own .Commit and .Version.
set -euo pipefail
cd "$(dirname "$0")/.."
pkg=github.com/updoc/updoc/pkg/version
commit=$(git rev-parse HEAD 2>/dev/null) || exit 0
if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
  commit="$commit-dirty"
fi
flags="-X $pkg.commit=$commit -X $pkg.date=$(git log -1 --format=%cI)"
if version=$(git describe --tags --match 'v*' 2>/dev/null); then
  flags="$flags -X $pkg.version=${version#v}"
fi
echo "$flags"
