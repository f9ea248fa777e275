#!/usr/bin/env bash
# Regenerates the man pages in manpages/ (a goreleaser before hook).
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf manpages
go run ./scripts/manpages manpages
