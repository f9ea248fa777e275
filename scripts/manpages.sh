#!/usr/bin/env bash
# Regenerates the man pages in manpages/ (a goreleaser before hook). The date
# in each page's header is the month of the last commit (SOURCE_DATE_EPOCH,
# unless set), so that regenerating them at release time changes nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${SOURCE_DATE_EPOCH:-}" ] && epoch=$(git log -1 --format=%ct 2>/dev/null); then
  export SOURCE_DATE_EPOCH=$epoch
fi
rm -rf manpages
go run ./scripts/manpages manpages
