package diagnose

// Hooks for issue 4. Each is called from its place in the pipeline already;
// issue 4 fills them in without touching the callers:
//
//   - proxyFingerprints: gateway.no_healthy_upstream, gateway.route_not_found
//     (consulted by classifyHTTP before the plain status rules);
//   - deprecationSignals / deprecationReport: api.deprecated,
//     api.sunset_scheduled, api.sunset_passed and the http.deprecation /
//     http.sunset report fields (called for every response);
//   - upstreamLatencyRules: latency.high_spread and load.imbalance (called
//     once per upstream after every target was classified).

import (
	"net/http"
	"time"

	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

// ---------------------------------------------------------------- proxy fingerprints

// proxyFingerprint recognises an answer produced by a proxy rather than by
// the service behind it (SPEC §4: status, Server/Via/x-envoy-* headers,
// body pattern → product and code).
type proxyFingerprint struct {
	Product  string // "Envoy", "HAProxy", "Traefik", "Kong", ...; part of the evidence
	Code     string // catalog.GatewayNoHealthyUpstream or catalog.GatewayRouteNotFound
	Describe string // what it means, for the message: "no healthy upstream"
	// Match looks at the status, headers and body prefix. It must not
	// inspect error values (there are none: a response arrived).
	Match func(status int, h http.Header, body []byte) bool
}

// proxyFingerprints is consulted in order, first match wins, for any
// response whose status is outside expect.status, before the plain status
// rules (502 → gateway.bad_gateway, 503 → http.unavailable, ...).
//
// TODO(issue 4): fill in Envoy/Istio "no healthy upstream", HAProxy "No
// server is available", Traefik "no available server" / "404 page not
// found", Kong "failure to get a peer from the ring-balancer" / "no Route
// matched", Envoy empty-body 404 with server: envoy.
var proxyFingerprints []proxyFingerprint

// matchProxy returns the first fingerprint that matches hr.
func matchProxy(hr *probe.HTTPResult) (proxyFingerprint, bool) {
	for _, fp := range proxyFingerprints {
		if fp.Match != nil && fp.Match(hr.StatusCode, hr.Header, hr.Body) {
			return fp, true
		}
	}
	return proxyFingerprint{}, false
}

// ---------------------------------------------------------------- deprecation / sunset

// signal is a finding produced by a hook, before policy (the caller adds it).
type signal struct {
	Code     string
	Message  string
	Evidence map[string]any
}

// deprecationSignals returns api.* findings for one response.
//
// TODO(issue 4): parse Deprecation (RFC 9745 "@<unix-seconds>", "true",
// HTTP-date), Sunset (RFC 8594 HTTP-date; scheduled vs passed by now), Link
// rel="deprecation"/"sunset", Warning: 299.
func deprecationSignals(hr *probe.HTTPResult, now time.Time) []signal {
	return nil
}

// deprecationReport returns the http.deprecation and http.sunset report
// fields for one response (nil when absent).
//
// TODO(issue 4): same parsing as deprecationSignals.
func deprecationReport(hr *probe.HTTPResult, now time.Time) (*report.Deprecation, *report.Sunset) {
	return nil, nil
}

// ---------------------------------------------------------------- latency across targets

// upstreamLatencyRules compares the latency of an upstream's targets.
//
// TODO(issue 4): latency.high_spread per target (≥ 10 samples, p99 > 4 × p50
// and p99 − p50 > 50 ms) and load.imbalance (a target's p50 > 2 × the median
// p50 of the other targets and > 20 ms above it). Use latencyStats for the
// numbers and u.add(draft{..., Target: i}) to report.
func (u *upstream) upstreamLatencyRules() {}
