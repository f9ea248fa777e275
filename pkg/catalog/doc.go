// Package catalog is the cause catalogue (SPEC §4) as data: code → title,
// layers, default severity, whether a failing dependency explains it,
// meaning, typical evidence, and remediation templates with their variants
// (entries.go, codes.go); how templates are rendered with concrete values
// (catalog.go, proxies.go, symptom.go); and the words every package shares
// about a finding, Layer and Severity (vocabulary.go).
//
// It is the only place a code string is defined: `updoc explain`, diagnose
// and every renderer read it. It decides nothing about a run and holds no
// defaults of the graph's: a value it is not given is shown as a generic
// placeholder (HOST, PORT, CERT_MIN_DAYS, ...).
//
// Imports: nothing of updoc's (pkg/graph imports it); only leaf packages
// under internal/ would be allowed.
package catalog
