package diagnose

// Hooks for issue 4. Each is called from its place in the pipeline:
//
//   - proxyFingerprints (fingerprints.go): gateway.* codes for answers a
//     proxy produced (consulted by classifyHTTP before the plain status rules);
//   - deprecationSignals / deprecationReport (deprecation.go): api.deprecated,
//     api.sunset_scheduled, api.sunset_passed and the http.deprecation /
//     http.sunset report fields (called for every response);
//   - upstreamLatencyRules (latency.go): latency.high_spread and
//     load.imbalance (called once per upstream after every target was
//     classified).

import (
	"net/http"

	"github.com/updoc/updoc/pkg/probe"
)

// ---------------------------------------------------------------- proxy fingerprints

// proxyFingerprint recognises an answer produced by a proxy rather than by
// the service behind it (SPEC §4: status, Server/Via/x-envoy-* headers,
// body pattern → product and code). The table is fingerprintTable.
type proxyFingerprint struct {
	Product  string // "Envoy", "HAProxy", "Traefik", "Kong", ...; part of the evidence
	Code     string // set by matchProxy from the status (gatewayCode)
	Describe string // what it means, for the message: "no healthy upstream ..."
	ID       string // the table row that matched
	Row      fingerprintRow
	// Match looks at the status, headers and body prefix. It must not
	// inspect error values (there are none: a response arrived).
	Match func(status int, h http.Header, body []byte) bool
}

// matchProxy returns the first fingerprint that matches hr, with its code
// (from the status), product (refined by the headers) and description.
func matchProxy(hr *probe.HTTPResult) (proxyFingerprint, bool) {
	if hr == nil {
		return proxyFingerprint{}, false
	}
	h := hr.Header
	if h == nil {
		h = http.Header{}
	}
	for _, fp := range proxyFingerprints {
		if fp.Match != nil && fp.Match(hr.StatusCode, h, hr.Body) {
			fp.Code = gatewayCode(hr.StatusCode)
			fp.Product = fp.Row.product(h)
			fp.Describe = fp.Row.describe(hr.StatusCode)
			fp.ID = fp.Row.ID
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
