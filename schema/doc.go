// Package schema holds the JSON Schemas of updoc's two documents, the graph
// file (updoc.graph.schema.json) and the JSON report
// (updoc.report.v1.schema.json), and validates documents against them.
//
// Both files are generated from Go types: the report's from report.Document
// (what -o json writes), each key described by its row in docs/json.md
// (which a pkg/cli test keeps complete); the graph file's from the plain
// types of graphfile.go, each key described as the graph decoder declares
// it (graph.FileKeys). Regenerate them with
//
//	go test ./schema -run TestSchemasAreCurrent -update
//
// and a test fails while a checked-in file differs from what the types
// generate. The updoc binary does not import this package: it imports
// nothing of updoc's, and only tests import it (internal/architecture).
package schema
