// Package engine assembles updoc's one pipeline: probe the graph's
// upstreams (package probe), judge the facts (package diagnose), then
// redact every secret of the graph from the report and show every control
// or bidi character in it visibly (report.Sanitize) — in that order, in
// one place. Every front-end — check, probe, demo, watch,
// graph --check, the TUI, and serve — calls Run and receives a report that
// is safe to render; a front-end that assembles the pipeline itself is a
// bug (and the architecture test says so: only engine imports probe and
// diagnose outside tests).
//
// It may import graph, probe, diagnose, report, catalog and version; it
// never imports cli or tui.
package engine
