#!/usr/bin/env bash
# Regenerates the text screenshots of the TUI in docs/ from a real terminal:
# tmux runs `updoc demo --tui` at 120x40 and capture-pane saves the screens.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(mktemp -d)/updoc
go build -ldflags "$(scripts/ldflags.sh)" -o "$bin" ./cmd/updoc
sock=$(mktemp -u)
t() { tmux -S "$sock" "$@"; }
trap 't kill-server 2>/dev/null || true; rm -f "$bin"' EXIT
t -f /dev/null new-session -d -s caps -x 120 -y 40 "$bin demo --tui"
sleep 2.5                                   # the first round ends in about 1 s
t capture-pane -t caps -p > docs/tui-main.txt
t send-keys -t caps /
t send-keys -t caps -l gateway
sleep 0.5
t capture-pane -t caps -p > docs/tui-filter.txt
t send-keys -t caps Escape                  # clear the filter
sleep 0.3
t send-keys -t caps /
t send-keys -t caps -l checkout             # a symptom of payments
t send-keys -t caps Enter
sleep 0.3
t send-keys -t caps Enter
sleep 0.5
t capture-pane -t caps -p > docs/tui-detail.txt
t send-keys -t caps q
echo "wrote docs/tui-main.txt docs/tui-detail.txt docs/tui-filter.txt"
