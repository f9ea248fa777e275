// Package tui is the live terminal UI of `updoc watch` and `check --tui`
// (bubbletea v1, lipgloss, bubbles). Its one job is to show the rounds of
// probing as they happen and the latest report.Report: a header with the
// round and the status counts, the root-cause banner (one root cause per
// fault, report.RootCauseGroups; n/N step through them), the list of
// upstreams (status, failing layer, code — never cut while the name has
// room —, p50, a latency sparkline across rounds, a marker for status
// changes, "↑ N more"/"↓ N more" when rows scroll off), a filter
// (bubbles/textinput), a help pane (bubbles/help from the bubbles/key
// bindings of keys.go) and, on enter, a detail pane (bubbles/viewport for
// the vertical position): findings and their fix first, each remediation
// command on lines of its own, wrapped only between shell words with " \"
// continuations (commandwrap.go, mvdan.cc/sh/v3/syntax finds the words), a
// word wider than the pane scrolled sideways. On the way out Run leaves one
// summary line (summary.go).
//
// Rounds run in a tea.Cmd; their probe events stream into the program
// through a channel read by waitForEvent (ARCHITECTURE habit 9), so progress
// is fed by events, never by polling.
//
// What the detail pane shares with the table it takes from report: the
// order of findings (Upstream.SortedFindings), the waterfall
// (TargetWaterfall: same data, same bars), evidence pairs and durations.
// Text is measured, cut and wrapped by display width with
// internal/textfmt.
//
// Imports: report, engine (for the Event and Observer types of a round),
// catalog and the leaf packages under internal/ — never probe, diagnose or
// cli.
package tui
