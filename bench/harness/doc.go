// Package harness runs updoc's loopback benchmark (issue 11): in one
// world (bench/world) it runs the real `updoc check -o json` binary and the
// floor prober (bench/floor) alternately, several times per size and mode,
// and reports medians of wall time, peak RSS, and what the servers counted
// per probe run — TCP connects, HTTP requests, DNS questions — with the
// ratio updoc/floor last.
//
// Run it only where nothing but loopback is reachable (scripts/bench-check.sh
// does that): everything binds and dials 127.0.0.1, and the graph pins its
// resolvers to the world's DNS server.
package harness
