#!/usr/bin/env bash
# Regenerates the shell completions in completions/ (a goreleaser before hook).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p completions
for sh in bash zsh fish powershell; do
  go run ./cmd/updoc completion "$sh" > "completions/updoc.$sh"
done
