// Package serve is `updoc serve` (SPEC §9, issue 14): it runs the graph on
// an interval and exposes each round's diagnosis as Prometheus metrics. It
// adds scheduling and exposition only: every round, and every on-demand
// /probe, is one call of engine.Run, so the report it exposes is the one
// `check -o json` writes, redacted the same way.
//
// Rounds start on the interval and never overlap: a tick that finds the
// previous round still running is counted in updoc_rounds_skipped_total,
// not stacked. The graph is re-read by Reload (SIGHUP, POST /-/reload); a
// graph that does not load keeps the previous one and is counted in
// updoc_config_reload_failures_total.
//
// The metrics are documented, with their cardinality, in docs/serve.md.
//
// It may import engine, graph, report, catalog and version; never probe,
// diagnose, tui or cli.
package serve
