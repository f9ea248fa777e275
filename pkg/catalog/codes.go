package catalog

// Cause codes. Use these constants, never the string literals.
const (
	DNSNXDomain         = "dns.nxdomain"
	DNSServfail         = "dns.servfail"
	DNSTimeout          = "dns.timeout"
	DNSNoRecords        = "dns.no_records"
	DNSResolverMismatch = "dns.resolver_mismatch"

	DNSResolverUnreachable = "dns.resolver_unreachable"
	DNSTruncated           = "dns.truncated"
	DNSCNAMELoop           = "dns.cname_loop"

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
	HTTPIntermittent  = "http.intermittent"

	GatewayNoHealthyUpstream = "gateway.no_healthy_upstream"
	GatewayBadGateway        = "gateway.bad_gateway"
	GatewayTimeout           = "gateway.timeout"
	GatewayRouteNotFound     = "gateway.route_not_found"

	GatewayOverloaded = "gateway.overloaded"

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
		DNSResolverUnreachable, DNSTruncated, DNSCNAMELoop,
		TCPRefused, TCPTimeout, TCPUnreachable,
		TLSHandshakeFailed, TLSCertExpired, TLSCertNotYetValid, TLSCertExpiring, TLSHostnameMismatch, TLSUntrusted,
		HTTPTimeout, HTTPUnavailable, HTTPServerError, HTTPAuthFailed, HTTPRateLimited, HTTPUnexpectedStatus, HTTPBodyMismatch, HTTPTooManyRedirects,
		HTTPNoResponse, HTTPProtocolError, HTTPIntermittent,
		GatewayNoHealthyUpstream, GatewayBadGateway, GatewayTimeout, GatewayRouteNotFound,
		GatewayOverloaded,
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

	// http.intermittent: the samples were TCP connects (a tcp:// or
	// tls:// upstream), not HTTP requests.
	VariantIntermittentConnect = "intermittent_connect"

	// dns.nxdomain: the name is a CNAME whose target does not exist (a
	// dangling CNAME, Vars.CNAMETarget): a subdomain-takeover risk.
	VariantDanglingCNAME = "dangling_cname"
)

// Remediation variants of the tls causes for the cases of issue 9: the
// case a finding names in Vars.Variant.
const (
	// tls.handshake_failed: the server ended a handshake that carried no
	// server name (SNI), as the url names an IP address.
	VariantNoSNI = "no_sni"
	// tls.handshake_failed: the server speaks only TLS 1.0 or 1.1.
	VariantLegacyVersion = "legacy_version"
	// tls.handshake_failed: the server accepts only cipher suites updoc
	// does not offer by default.
	VariantLegacyCipher = "legacy_cipher"
	// tls.handshake_failed: the server refused the ordinary handshake and
	// the legacy one (every version and suite crypto/tls implements) with
	// handshake failure: no cipher suite in common.
	VariantNoCommonCipher = "no_common_cipher"
	// tls.untrusted: the chain the server sent stops at a certificate
	// whose issuer it did not send and no trusted root is.
	VariantChainIncomplete = "chain_incomplete"
	// tls.untrusted: tls.ca_file is set and the chain leads to none of its CAs.
	VariantCAFileUntrusted = "ca_file_untrusted"
	// tls.untrusted: no tls.ca_file, and the chain the server sent is
	// whole up to a CA this host does not trust (a root it sent, or the
	// issuer of the CA certificate it sent last): a private CA, or a
	// trust store that lacks the root.
	VariantUntrustedRoot = "untrusted_root"
	// tls.hostname_mismatch: the certificate has a common name and no
	// subjectAltName at all.
	VariantNoSAN = "no_san"
	// tls.cert_expired, tls.cert_expiring: the certificate is one of the
	// chain the server sent (an intermediate), not the leaf.
	VariantChainCertExpired  = "chain_cert_expired"
	VariantChainCertExpiring = "chain_cert_expiring"
)

// Remediation variants of http.protocol_error (issue 9).
const (
	// http.protocol_error: the port speaks TLS; the url says http://.
	VariantTLSPort = "tls_port"
	// http.protocol_error: the port speaks only HTTP/2 cleartext (h2c
	// with prior knowledge).
	VariantH2COnly = "h2c_only"
	// http.protocol_error: a malformed HTTP/1.x answer, or a body that
	// does not decode.
	VariantMalformed = "malformed"
)

// Remediation variants of http.unexpected_status and http.unavailable (QA
// finding 10): the answer is Go net/http's stock text, which any Go
// service writes and Traefik writes too; the steps tell the two apart.
const (
	// http.unexpected_status: "404 page not found" (http.NotFound), also
	// Traefik's answer when no router matches.
	VariantGo404OrTraefik = "go_404_or_traefik"
	// http.unavailable: a bare "Service Unavailable" (http.StatusText(503)),
	// also what Traefik's CircuitBreaker middleware answers while open.
	VariantGo503OrTraefik = "go_503_or_traefik"
)

// VariantLimitOrNoUpstream, of gateway.no_healthy_upstream (QA finding 4):
// the proxy's answer is the same for "no live backend" and for one of its
// own limits (nginx's stock 503 for limit_req/limit_conn and for an
// ingress Service without endpoints; HAProxy's "No server is available"
// after timeout queue): the steps check both.
const VariantLimitOrNoUpstream = "limit_or_no_upstream"

// Remediation variants of the tcp causes met behind a forward proxy.
const (
	// tcp.refused, tcp.timeout, tcp.unreachable: the configured proxy
	// (Vars.Proxy) tried the url's host and met this; the commands check
	// from the proxy's side.
	VariantProxyRefused     = "proxy_refused"
	VariantProxyTimeout     = "proxy_timeout"
	VariantProxyUnreachable = "proxy_unreachable"
)

// Remediation variants of http.auth_failed answered by the configured
// forward proxy (Vars.Proxy), not by the service.
const (
	// 407 and the proxy URL has no credentials.
	VariantProxyCredentialsMissing = "proxy_credentials_missing"
	// 407 although the proxy URL's credentials were sent.
	VariantProxyCredentialsRejected = "proxy_credentials_rejected"
	// 403 to CONNECT, or SOCKS5 reply 2: the proxy's rules forbid the
	// destination.
	VariantProxyForbidden = "proxy_forbidden"
)
