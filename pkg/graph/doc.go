// Package graph reads, validates and queries the updoc graph file (SPEC §2):
// the upstreams to probe, their settings and their dependencies.
//
// Load decodes the YAML strictly against the graph's schema (schema.go:
// every key declared once, with where it may appear, which upstreams use
// it, what it means, how its value decodes), expands ${VAR} references
// (expand.go), applies the built-in defaults (defaults.go), then defaults:,
// then each upstream's own keys in one place (build.go), and checks
// dependencies (deps.go); it keeps the environment's proxy variables with
// each upstream (proxy.go: which proxy a URL goes through, as curl reads
// them). Every error it returns is an *Error naming
// FILE:LINE:COLUMN. A Graph answers queries (dependencies, topological
// order, selection by name and tag; query.go), names its secrets for
// redaction (secrets.go) and renders as a tree, DOT or Mermaid (render.go).
//
// Imports: of updoc's packages, only pkg/catalog (the cause codes of
// policy.severity, layers, severities) and leaf packages under internal/.
package graph
