// Package diagnose judges the facts package probe gathered: it turns them
// into findings (a cause code from the catalogue, a message, evidence and
// remediation), statuses and root causes — the whole report.Report. It is
// pure: no network, no clock (Input.Now is the clock), so every rule is a
// table-driven unit test.
//
// The pipeline (pipeline.go owns its order) is a chain of steps that each
// take findings and return new ones; no step changes what another made:
//
//  1. classify, per upstream and per layer, mirroring pkg/probe: dns.go
//     (with dnschain.go for CNAME loops and dnsnoanswer.go for answers
//     that did not arrive: truncated, unreachable, timed out), tcp.go,
//     tls.go, http.go (with fingerprints.go for proxy answers,
//     deprecation.go for Deprecation/Sunset signals, protocol.go for
//     answers that are not HTTP, redirecttls.go for the certificates of
//     redirects), latency.go, and unfinished.go for a run that ended
//     first; proxy.go says what proxies have to do with connecting. Each rule is a function
//     from one layer's facts (a subject, read-only) to drafts;
//  2. policy (finding.go, applyPolicy): the one place where the graph's
//     policy (warn / fail / ignore) is applied and drafts become findings
//     with the catalogue's remediation; one cause per target;
//  3. the replica rule (replica.go): some targets failed, others passed;
//  4. attribution through the graph (attribution.go, over the index of
//     graphindex.go, built once): dependency.unhealthy, root_cause flags,
//     the symptom step — which codes a failing dependency explains is
//     catalogue data;
//  5. statuses (status.go), the root-cause list (rootcause.go) and the
//     conversion to report values (convert.go).
//
// Error values are classified by type, never by text (errkind.go).
//
// Imports: pkg/graph, pkg/probe, pkg/catalog, pkg/report and leaf packages
// under internal/; never pkg/tui, pkg/cli or pkg/engine. Only pkg/engine
// calls Diagnose outside tests.
package diagnose
