package catalog

// Cause codes. Use these constants, never the string literals.
const (
	DNSNXDomain         = "dns.nxdomain"
	DNSServfail         = "dns.servfail"
	DNSTimeout          = "dns.timeout"
	DNSNoRecords        = "dns.no_records"
	DNSResolverMismatch = "dns.resolver_mismatch"

	TCPRefused     = "tcp.refused"
	TCPTimeout     = "tcp.timeout"
	TCPUnreachable = "tcp.unreachable"

	TLSHandshakeFailed  = "tls.handshake_failed"
	TLSCertExpired      = "tls.cert_expired"
	TLSCertNotYetValid  = "tls.cert_not_yet_valid"
	TLSCertExpiring     = "tls.cert_expiring"
	TLSHostnameMismatch = "tls.hostname_mismatch"
	TLSUntrusted        = "tls.untrusted"

	HTTPTimeout          = "http.timeout"
	HTTPUnavailable      = "http.unavailable"
	HTTPServerError      = "http.server_error"
	HTTPAuthFailed       = "http.auth_failed"
	HTTPRateLimited      = "http.rate_limited"
	HTTPUnexpectedStatus = "http.unexpected_status"
	HTTPBodyMismatch     = "http.body_mismatch"
	HTTPTooManyRedirects = "http.too_many_redirects"

	HTTPNoResponse    = "http.no_response"
	HTTPProtocolError = "http.protocol_error"

	GatewayNoHealthyUpstream = "gateway.no_healthy_upstream"
	GatewayBadGateway        = "gateway.bad_gateway"
	GatewayTimeout           = "gateway.timeout"
	GatewayRouteNotFound     = "gateway.route_not_found"

	APIDeprecated      = "api.deprecated"
	APISunsetScheduled = "api.sunset_scheduled"
	APISunsetPassed    = "api.sunset_passed"

	LatencySlow       = "latency.slow"
	LatencyHighSpread = "latency.high_spread"
	LoadImbalance     = "load.imbalance"
	LoadReplicaDown   = "load.replica_down"

	DependencyUnhealthy = "dependency.unhealthy"

	RunDeadlineExceeded = "run.deadline_exceeded"
	RunInterrupted      = "run.interrupted"
)

// Codes returns every cause code in SPEC §4 order (a fresh slice each call).
func Codes() []string {
	return []string{
		DNSNXDomain, DNSServfail, DNSTimeout, DNSNoRecords, DNSResolverMismatch,
		TCPRefused, TCPTimeout, TCPUnreachable,
		TLSHandshakeFailed, TLSCertExpired, TLSCertNotYetValid, TLSCertExpiring, TLSHostnameMismatch, TLSUntrusted,
		HTTPTimeout, HTTPUnavailable, HTTPServerError, HTTPAuthFailed, HTTPRateLimited, HTTPUnexpectedStatus, HTTPBodyMismatch, HTTPTooManyRedirects,
		HTTPNoResponse, HTTPProtocolError,
		GatewayNoHealthyUpstream, GatewayBadGateway, GatewayTimeout, GatewayRouteNotFound,
		APIDeprecated, APISunsetScheduled, APISunsetPassed,
		LatencySlow, LatencyHighSpread, LoadImbalance, LoadReplicaDown,
		DependencyUnhealthy,
		RunDeadlineExceeded, RunInterrupted,
	}
}

// Remediation variants (Entry.Variants): the case of a cause a finding
// names in Vars.Variant.
const (
	// tls.handshake_failed: the server asked for a client certificate
	// and none was presented.
	VariantClientCertMissing = "client_cert_missing"
	// tls.handshake_failed: the server asked for a client certificate
	// and rejected the one presented (tls.cert_file).
	VariantClientCertRejected = "client_cert_rejected"

	// http.protocol_error: the port speaks TLS; the url says http://.
	VariantTLSPort = "tls_port"
	// http.protocol_error: the port speaks only HTTP/2 cleartext (h2c
	// with prior knowledge).
	VariantH2COnly = "h2c_only"
	// http.protocol_error: a malformed HTTP/1.x answer, or a body that
	// does not decode.
	VariantMalformed = "malformed"
)
