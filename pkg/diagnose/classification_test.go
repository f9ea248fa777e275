package diagnose

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

type want struct {
	code      string
	severity  report.Severity
	layer     catalog.Layer
	target    string
	rootCause bool
	message   []string // substrings
	evidence  []string // keys
	variant   string   // the catalogue's remediation variant ("": the generic steps)
}

type classCase struct {
	name   string
	up     *graph.Upstream
	res    probe.Result
	want   want
	layers *report.Layers // optional
}

func TestClassification(t *testing.T) {
	p := newPKI(t)
	const addr = "10.0.0.7:8080"
	const tlsAddr = "10.0.0.7:443"

	// Certificates and the real verification errors they produce.
	expired := p.leaf(t, testNow.Add(-90*24*time.Hour), testNow.Add(-3*24*time.Hour), "api.example.com")
	notYet := p.leaf(t, testNow.Add(7*24*time.Hour), testNow.Add(97*24*time.Hour), "api.example.com")
	wrongHost := p.leaf(t, testNow.Add(-24*time.Hour), testNow.Add(60*24*time.Hour), "other.example.com", "www.other.example.com")
	good := p.leaf(t, testNow.Add(-24*time.Hour), testNow.Add(60*24*time.Hour), "api.example.com")
	expiring := p.leaf(t, testNow.Add(-80*24*time.Hour), testNow.Add(5*24*time.Hour+time.Hour), "api.example.com")
	selfSigned, _ := mintCert(t, "api.example.com", []string{"api.example.com"}, testNow.Add(-24*time.Hour), testNow.Add(30*24*time.Hour), true, nil, nil)
	// An intermediate that expired, signing a valid leaf.
	p2 := newPKI(t)
	inter, interKey := mintCert(t, "Expired Intermediate", nil, testNow.Add(-400*24*time.Hour), testNow.Add(-2*24*time.Hour), true, p2.ca, p2.caKey)
	leafUnderInter, _ := mintCert(t, "api.example.com", []string{"api.example.com"}, testNow.Add(-24*time.Hour), testNow.Add(60*24*time.Hour), false, inter, interKey)
	interPool := x509.NewCertPool()
	interPool.AddCert(inter)
	_, interErr := leafUnderInter.Verify(x509.VerifyOptions{Roots: p2.pool, Intermediates: interPool, DNSName: "api.example.com", CurrentTime: testNow})

	errExpired := p.verify(expired, "api.example.com", p.pool)
	errNotYet := p.verify(notYet, "api.example.com", p.pool)
	errHost := p.verify(wrongHost, "api.example.com", p.pool)
	errUnknown := p.verify(good, "api.example.com", x509.NewCertPool())
	errSelf := p.verify(selfSigned, "api.example.com", x509.NewCertPool())
	for name, err := range map[string]error{"expired": errExpired, "notyet": errNotYet, "host": errHost, "unknown": errUnknown, "self": errSelf, "inter": interErr} {
		if err == nil {
			t.Fatalf("verification of the %s certificate unexpectedly succeeded", name)
		}
	}

	httpUp := func() *graph.Upstream { return node("users", "http://users.internal:8080/health") }
	httpsUp := func() *graph.Upstream { return node("api", "https://api.example.com/health") }
	withHTTP := func(status int, mod func(*probe.HTTPResult)) probe.Result {
		tr := httpOK(addr, status)
		if mod != nil {
			mod(tr.HTTP)
		}
		return probe.Result{Upstream: "users", Targets: []probe.TargetResult{tr}}
	}
	withTLS := func(tr *probe.TLSResult) probe.Result {
		return probe.Result{Upstream: "api", Targets: []probe.TargetResult{tlsTarget(tlsAddr, tr)}}
	}
	tcpFail := func(err error, took time.Duration) probe.Result {
		return probe.Result{Upstream: "users", Targets: []probe.TargetResult{{Address: addr, TCP: &probe.TCPResult{Duration: took, Err: err}}}}
	}
	dnsRes := func(queries ...probe.DNSQuery) probe.Result {
		return probe.Result{Upstream: "users", DNS: &probe.DNSResult{Name: "nope.example.com", Queries: queries}}
	}
	q := func(resolver, qtype, rcode string, err error, addrs ...string) probe.DNSQuery {
		rv, server := graph.SystemResolver, ""
		if resolver != "system" {
			rv, server = nameserver(resolver)
		}
		return probe.DNSQuery{Resolver: rv, Server: server, QType: qtype, Rcode: rcode, Err: err, Addresses: addrs, Duration: 800 * time.Microsecond}
	}
	dnsUp := func() *graph.Upstream { return node("users", "http://nope.example.com:8080/health") }
	dnsTimeout := &net.DNSError{Err: "i/o timeout", Name: "nope.example.com", Server: "127.0.0.1:53", IsTimeout: true}

	cases := []classCase{
		// ------------------------------------------------------------ dns
		{
			name: "dns nxdomain from every resolver",
			up:   dnsUp(),
			res:  dnsRes(q("127.0.0.1:53", "A", "NXDOMAIN", nil), q("127.0.0.1:53", "AAAA", "NXDOMAIN", nil)),
			want: want{code: catalog.DNSNXDomain, severity: report.Fail, layer: "dns", rootCause: true,
				message: []string{"NXDOMAIN for nope.example.com. from 127.0.0.1:53 (A, AAAA)"}, evidence: []string{"name", "resolver", "rcode", "queries"}},
			layers: &report.Layers{DNS: report.LFail, TCP: report.Skip, TLS: report.Skip, HTTP: report.Skip, Latency: report.Skip},
		},
		{
			name: "dns nxdomain from the system resolver's *net.DNSError",
			up:   dnsUp(),
			res:  dnsRes(q("system", "A", "", &net.DNSError{Err: "no such host", Name: "nope.example.com", IsNotFound: true})),
			want: want{code: catalog.DNSNXDomain, severity: report.Fail, layer: "dns", rootCause: true, message: []string{"NXDOMAIN", "system (A)"}},
		},
		{
			name: "dns servfail and refused, nobody answered",
			up:   dnsUp(),
			res: dnsRes(q("127.0.0.1:53", "A", "SERVFAIL", nil), q("127.0.0.1:53", "AAAA", "SERVFAIL", nil),
				q("10.0.0.2:53", "A", "REFUSED", nil)),
			want: want{code: catalog.DNSServfail, severity: report.Fail, layer: "dns", rootCause: true,
				message: []string{"SERVFAIL for nope.example.com. from 127.0.0.1:53 (A, AAAA)", "REFUSED from 10.0.0.2:53 (A)"}},
		},
		{
			name: "dns servfail beats a silent resolver",
			up:   dnsUp(),
			res:  dnsRes(q("127.0.0.1:53", "A", "SERVFAIL", nil), q("10.0.0.2:53", "A", "", dnsTimeout)),
			want: want{code: catalog.DNSServfail, severity: report.Fail, layer: "dns", rootCause: true, message: []string{"no answer from 10.0.0.2:53 (A)"}},
		},
		{
			name: "dns timeout: no resolver answered",
			up:   dnsUp(),
			res:  dnsRes(q("127.0.0.1:53", "A", "", dnsTimeout), q("127.0.0.1:53", "AAAA", "", context.DeadlineExceeded)),
			want: want{code: catalog.DNSTimeout, severity: report.Fail, layer: "dns", rootCause: true,
				message: []string{"no answer for nope.example.com. from 127.0.0.1:53 (A, AAAA) within 0.80ms"}, evidence: []string{"error", "resolver"}},
		},
		{
			name: "dns no records (NODATA)",
			up:   func() *graph.Upstream { u := dnsUp(); u.IPFamily = "ipv6"; return u }(),
			res:  dnsRes(q("127.0.0.1:53", "AAAA", "NOERROR", nil)),
			want: want{code: catalog.DNSNoRecords, severity: report.Fail, layer: "dns", rootCause: true,
				message: []string{"no AAAA records for nope.example.com. (NOERROR, no data) from 127.0.0.1:53 (AAAA)", "ip_family ipv6"}},
		},
		{
			name: "dns resolver mismatch",
			up:   node("users", "http://users.internal:8080/health"),
			res: probe.Result{Upstream: "users",
				DNS: &probe.DNSResult{Name: "users.internal", Addresses: []string{"10.0.0.7", "10.0.0.8"}, Queries: []probe.DNSQuery{
					q("127.0.0.1:53", "A", "NOERROR", nil, "10.0.0.7"), q("10.0.0.2:53", "A", "NOERROR", nil, "10.0.0.8"),
				}},
				Targets: []probe.TargetResult{httpOK("10.0.0.7:8080", 200), httpOK("10.0.0.8:8080", 200)},
			},
			want: want{code: catalog.DNSResolverMismatch, severity: report.Warn, layer: "dns", rootCause: true,
				message: []string{"resolvers disagree on users.internal.: 127.0.0.1:53 → 10.0.0.7; 10.0.0.2:53 → 10.0.0.8"}, evidence: []string{"answers"}},
			layers: &report.Layers{DNS: report.LWarn, TCP: report.Pass, TLS: report.Skip, HTTP: report.Pass, Latency: report.Skip},
		},

		// ------------------------------------------------------------ tcp
		{
			name: "tcp refused",
			up:   httpUp(),
			res:  tcpFail(errRefused, 200*time.Microsecond),
			want: want{code: catalog.TCPRefused, severity: report.Fail, layer: "tcp", target: addr, rootCause: true,
				message: []string{"10.0.0.7:8080 refused the connection"}, evidence: []string{"error"}},
			layers: &report.Layers{DNS: report.Skip, TCP: report.LFail, TLS: report.Skip, HTTP: report.Skip, Latency: report.Skip},
		},
		{
			name: "tcp timeout from the dial deadline",
			up:   httpUp(),
			res:  tcpFail(errDialTimeout, 5*time.Second),
			want: want{code: catalog.TCPTimeout, severity: report.Fail, layer: "tcp", target: addr, rootCause: true,
				message: []string{"connect to 10.0.0.7:8080 did not complete within the 5s timeout"}},
		},
		{
			name: "tcp timeout from context.DeadlineExceeded",
			up:   httpUp(),
			res:  tcpFail(fmt.Errorf("dial: %w", context.DeadlineExceeded), 5*time.Second),
			want: want{code: catalog.TCPTimeout, severity: report.Fail, layer: "tcp", target: addr, rootCause: true},
		},
		{
			name: "tcp timeout from ETIMEDOUT",
			up:   httpUp(),
			res:  tcpFail(errETimedOut, 127*time.Second),
			want: want{code: catalog.TCPTimeout, severity: report.Fail, layer: "tcp", target: addr, rootCause: true},
		},
		{
			name: "tcp no route to host",
			up:   httpUp(),
			res:  tcpFail(errHostUnreach, time.Millisecond),
			want: want{code: catalog.TCPUnreachable, severity: report.Fail, layer: "tcp", target: addr, rootCause: true,
				message: []string{"10.0.0.7:8080 is unreachable: no route to host"}},
		},
		{
			name: "tcp network unreachable",
			up:   httpUp(),
			res:  tcpFail(errNetUnreach, time.Millisecond),
			want: want{code: catalog.TCPUnreachable, severity: report.Fail, layer: "tcp", target: addr, rootCause: true,
				message: []string{"network is unreachable"}},
		},

		// ------------------------------------------------------------ tls
		{
			name: "tls: plain HTTP on the port (RecordHeaderError)",
			up:   httpsUp(),
			res: withTLS(&probe.TLSResult{HandshakeErr: tls.RecordHeaderError{
				Msg: "first record does not look like a TLS handshake", RecordHeader: [5]byte{'H', 'T', 'T', 'P', '/'}}}),
			want: want{code: catalog.TLSHandshakeFailed, severity: report.Fail, layer: "tls", target: tlsAddr, rootCause: true,
				message: []string{"TLS handshake with 10.0.0.7:443 failed", "plain HTTP"}, evidence: []string{"record_header", "plain_http"}},
			layers: &report.Layers{DNS: report.Skip, TCP: report.Pass, TLS: report.LFail, HTTP: report.Skip, Latency: report.Skip},
		},
		{
			name: "tls: alert",
			up:   httpsUp(),
			res:  withTLS(&probe.TLSResult{HandshakeErr: &net.OpError{Op: "remote error", Err: tls.AlertError(40)}}),
			want: want{code: catalog.TLSHandshakeFailed, severity: report.Fail, layer: "tls", target: tlsAddr, rootCause: true,
				message: []string{"TLS alert"}},
		},
		{
			name: "tls: EOF during handshake",
			up:   httpsUp(),
			res:  withTLS(&probe.TLSResult{HandshakeErr: io.EOF}),
			want: want{code: catalog.TLSHandshakeFailed, severity: report.Fail, layer: "tls", target: tlsAddr, rootCause: true,
				message: []string{"closed the connection during the handshake"}},
		},
		{
			name: "tls: reset during handshake",
			up:   httpsUp(),
			res:  withTLS(&probe.TLSResult{HandshakeErr: errReset}),
			want: want{code: catalog.TLSHandshakeFailed, severity: report.Fail, layer: "tls", target: tlsAddr, rootCause: true,
				message: []string{"connection reset by peer"}},
		},
		{
			name: "tls: handshake timeout",
			up:   httpsUp(),
			res:  withTLS(&probe.TLSResult{Duration: 5 * time.Second, HandshakeErr: context.DeadlineExceeded}),
			want: want{code: catalog.TLSHandshakeFailed, severity: report.Fail, layer: "tls", target: tlsAddr, rootCause: true,
				message: []string{"did not complete within the 5s timeout"}},
		},
		{
			name: "tls: leaf expired",
			up:   httpsUp(),
			res:  withTLS(&probe.TLSResult{PeerCertificates: []*x509.Certificate{expired}, VerifyErr: errExpired}),
			want: want{code: catalog.TLSCertExpired, severity: report.Fail, layer: "tls", target: tlsAddr, rootCause: true,
				message:  []string{"certificate for api.example.com expired 3 days ago (not_after 2026-11-22)"},
				evidence: []string{"not_after", "days_left", "subject", "sans", "issuer"}},
		},
		{
			name: "tls: expired, error wrapped by crypto/tls",
			up:   httpsUp(),
			res: withTLS(&probe.TLSResult{PeerCertificates: []*x509.Certificate{expired},
				HandshakeErr: &tls.CertificateVerificationError{UnverifiedCertificates: []*x509.Certificate{expired}, Err: errExpired}}),
			want: want{code: catalog.TLSCertExpired, severity: report.Fail, layer: "tls", target: tlsAddr, rootCause: true},
		},
		{
			name: "tls: intermediate expired",
			up:   httpsUp(),
			res:  withTLS(&probe.TLSResult{PeerCertificates: []*x509.Certificate{leafUnderInter, inter}, VerifyErr: interErr}),
			want: want{code: catalog.TLSCertExpired, severity: report.Fail, layer: "tls", target: tlsAddr, rootCause: true,
				message:  []string{"intermediate CN=Expired Intermediate in the chain for api.example.com expired 2 days ago"},
				evidence: []string{"certificate"}, variant: catalog.VariantChainCertExpired},
		},
		{
			name: "tls: not yet valid",
			up:   httpsUp(),
			res:  withTLS(&probe.TLSResult{PeerCertificates: []*x509.Certificate{notYet}, VerifyErr: errNotYet}),
			want: want{code: catalog.TLSCertNotYetValid, severity: report.Fail, layer: "tls", target: tlsAddr, rootCause: true,
				message: []string{"is not valid yet", "in 7 days", "clock"}},
		},
		{
			name: "tls: hostname mismatch",
			up:   httpsUp(),
			res:  withTLS(&probe.TLSResult{PeerCertificates: []*x509.Certificate{wrongHost}, VerifyErr: errHost}),
			want: want{code: catalog.TLSHostnameMismatch, severity: report.Fail, layer: "tls", target: tlsAddr, rootCause: true,
				message: []string{"covers other.example.com, www.other.example.com, not api.example.com"}},
		},
		{
			name: "tls: unknown authority",
			up:   httpsUp(),
			res:  withTLS(&probe.TLSResult{PeerCertificates: []*x509.Certificate{good}, VerifyErr: errUnknown}),
			want: want{code: catalog.TLSUntrusted, severity: report.Fail, layer: "tls", target: tlsAddr, rootCause: true,
				message: []string{"signed by CN=updoc test CA (not sent by the server), which is not trusted"}},
		},
		{
			name: "tls: self-signed",
			up:   httpsUp(),
			res:  withTLS(&probe.TLSResult{PeerCertificates: []*x509.Certificate{selfSigned}, VerifyErr: errSelf}),
			want: want{code: catalog.TLSUntrusted, severity: report.Fail, layer: "tls", target: tlsAddr, rootCause: true,
				message: []string{"is self-signed"}, evidence: []string{"self_signed"}},
		},
		{
			name: "tls: expiring within cert_min_days",
			up:   httpsUp(),
			res: func() probe.Result {
				r := withTLS(&probe.TLSResult{PeerCertificates: []*x509.Certificate{expiring}, Version: "TLS 1.3"})
				r.Targets[0].HTTP = httpOK(tlsAddr, 200).HTTP
				return r
			}(),
			want: want{code: catalog.TLSCertExpiring, severity: report.Warn, layer: "tls", target: tlsAddr, rootCause: true,
				message: []string{"certificate for api.example.com expires in 5 days (not_after 2026-11-30), less than cert_min_days 14"}},
			layers: &report.Layers{DNS: report.Skip, TCP: report.Pass, TLS: report.LWarn, HTTP: report.Pass, Latency: report.Skip},
		},

		// ------------------------------------------------------------ http
		{
			name: "http: no headers in time",
			up:   httpUp(),
			res: withHTTP(0, func(h *probe.HTTPResult) {
				h.Err, h.ErrPhase, h.Timings.Total = fmt.Errorf("net/http: timeout awaiting response headers: %w", context.DeadlineExceeded), "headers", 5*time.Second
			}),
			want: want{code: catalog.HTTPTimeout, severity: report.Fail, layer: "http", target: addr, rootCause: true,
				message: []string{"no response headers from 10.0.0.7:8080 within the 5s timeout"}},
			layers: &report.Layers{DNS: report.Skip, TCP: report.Pass, TLS: report.Skip, HTTP: report.LFail, Latency: report.Skip},
		},
		{
			name: "http: body stalled",
			up:   httpUp(),
			res: withHTTP(200, func(h *probe.HTTPResult) {
				h.Err, h.ErrPhase, h.Timings.Total = &net.OpError{Op: "read", Err: errDialTimeout}, "body", 5*time.Second
			}),
			want: want{code: catalog.HTTPTimeout, severity: report.Fail, layer: "http", target: addr, rootCause: true,
				message: []string{"200 OK from 10.0.0.7:8080 but the body stalled"}},
		},
		{
			name: "http: empty reply",
			up:   httpUp(),
			res:  withHTTP(0, func(h *probe.HTTPResult) { h.Err, h.ErrPhase = io.EOF, "headers" }),
			want: want{code: catalog.HTTPNoResponse, severity: report.Fail, layer: "http", target: addr, rootCause: true,
				message: []string{"10.0.0.7:8080 closed the connection before sending a status line (GET http://10.0.0.7:8080/health)"}},
		},
		{
			name: "http: connect refused during the exchange",
			up:   httpUp(),
			res:  withHTTP(0, func(h *probe.HTTPResult) { h.Err, h.ErrPhase = errRefused, "connect" }),
			want: want{code: catalog.TCPRefused, severity: report.Fail, layer: "http", target: addr, rootCause: true,
				message: []string{"refused the connection (during http)"}},
		},
		{
			name: "http: too many redirects",
			up:   httpUp(),
			res: withHTTP(302, func(h *probe.HTTPResult) {
				h.TooManyRedirects = true
				h.Redirects = []string{"http://a/1", "http://a/2", "http://a/1", "http://a/2", "http://a/1", "http://a/2"}
			}),
			want: want{code: catalog.HTTPTooManyRedirects, severity: report.Fail, layer: "http", target: addr, rootCause: true,
				message: []string{"more than 5 redirects", "last Location: http://a/2"}, evidence: []string{"redirects"}},
		},
		{
			// QA finding 3: nginx passes its backend's 502 through under its
			// own Server header; "ok" is not nginx's stock page.
			name: "http: 502 passed on by nginx (its Server header, another body)",
			up:   httpUp(),
			res:  withHTTP(502, func(h *probe.HTTPResult) { h.Header.Set("Server", "nginx") }),
			want: want{code: catalog.HTTPServerError, severity: report.Fail, layer: "http", target: addr, rootCause: true,
				message:  []string{`502 Bad Gateway ("ok") from 10.0.0.7:8080`, `(server: nginx), passed on by nginx: the body is not nginx's stock error page`, "the service behind it answered this itself"},
				evidence: []string{"status_code", "server", "passed_on_by"}},
		},
		{
			name: "http: 502 from an unknown proxy",
			up:   httpUp(),
			res:  withHTTP(502, nil),
			want: want{code: catalog.GatewayBadGateway, severity: report.Fail, layer: "http", target: addr, rootCause: true,
				message: []string{`502 Bad Gateway ("ok") from 10.0.0.7:8080`}, evidence: []string{"status_code", "body"}},
		},
		{
			name: "http: 504",
			up:   httpUp(),
			res:  withHTTP(504, nil),
			want: want{code: catalog.GatewayTimeout, severity: report.Fail, layer: "http", target: addr, rootCause: true,
				message: []string{"504 Gateway Timeout"}},
		},
		{
			name: "http: 503 with Retry-After",
			up:   httpUp(),
			res:  withHTTP(503, func(h *probe.HTTPResult) { h.Header.Set("Retry-After", "120") }),
			want: want{code: catalog.HTTPUnavailable, severity: report.Fail, layer: "http", target: addr, rootCause: true,
				message: []string{"503 Service Unavailable", "Retry-After: 120"}, evidence: []string{"retry_after"}},
		},
		{
			name: "http: 500",
			up:   httpUp(),
			res:  withHTTP(500, nil),
			want: want{code: catalog.HTTPServerError, severity: report.Fail, layer: "http", target: addr, rootCause: true,
				message: []string{`500 Internal Server Error ("ok") from 10.0.0.7:8080 for GET http://10.0.0.7:8080/health`}, evidence: []string{"body"}},
		},
		{
			name: "http: 401",
			up:   httpUp(),
			res:  withHTTP(401, func(h *probe.HTTPResult) { h.Header.Set("WWW-Authenticate", `Bearer realm="api"`) }),
			want: want{code: catalog.HTTPAuthFailed, severity: report.Fail, layer: "http", target: addr, rootCause: true,
				message: []string{"401 Unauthorized", `WWW-Authenticate: Bearer realm="api"`}, evidence: []string{"www_authenticate"}},
		},
		{
			name: "http: 403",
			up:   httpUp(),
			res:  withHTTP(403, nil),
			want: want{code: catalog.HTTPAuthFailed, severity: report.Fail, layer: "http", target: addr, rootCause: true},
		},
		{
			name: "http: 407",
			up:   httpUp(),
			res:  withHTTP(407, nil),
			want: want{code: catalog.HTTPAuthFailed, severity: report.Fail, layer: "http", target: addr, rootCause: true},
		},
		{
			name: "http: 429",
			up:   httpUp(),
			res:  withHTTP(429, func(h *probe.HTTPResult) { h.Header.Set("Retry-After", "10") }),
			want: want{code: catalog.HTTPRateLimited, severity: report.Fail, layer: "http", target: addr, rootCause: true,
				message: []string{"429 Too Many Requests", "Retry-After: 10"}, evidence: []string{"retry_after"}},
		},
		{
			name: "http: 404",
			up:   httpUp(),
			res:  withHTTP(404, nil),
			want: want{code: catalog.HTTPUnexpectedStatus, severity: report.Fail, layer: "http", target: addr, rootCause: true,
				message: []string{"404 Not Found", "expected 2xx, 3xx"}, evidence: []string{"expected_status"}},
		},
		{
			name: "http: 200 outside an explicit expect",
			up: func() *graph.Upstream {
				u := httpUp()
				u.Expect.Status = []graph.StatusRange{{Lo: 204, Hi: 204}, {Lo: 300, Hi: 399}}
				return u
			}(),
			res: withHTTP(200, nil),
			want: want{code: catalog.HTTPUnexpectedStatus, severity: report.Fail, layer: "http", target: addr, rootCause: true,
				message: []string{"expected 204, 3xx"}},
		},
		{
			name: "http: body does not contain",
			up:   func() *graph.Upstream { u := httpUp(); u.Expect.BodyContains = `"status":"UP"`; return u }(),
			res:  withHTTP(200, func(h *probe.HTTPResult) { h.Body, h.BodyBytes, h.BodyMissing = []byte(`{"status":"DOWN"}`), 17, true }),
			want: want{code: catalog.HTTPBodyMismatch, severity: report.Fail, layer: "http", target: addr, rootCause: true,
				message: []string{`200 OK from 10.0.0.7:8080 but the body does not contain "\"status\":\"UP\""`}, evidence: []string{"body_contains"}},
		},
		{
			name: "http: body does not match regex, truncated",
			up:   func() *graph.Upstream { u := httpUp(); u.Expect.BodyRegex = regexp.MustCompile(`ok|UP`); return u }(),
			res: withHTTP(200, func(h *probe.HTTPResult) {
				h.Body, h.BodyBytes, h.BodyTruncated, h.BodyUnmatched = []byte("nope"), 4, true, true
			}),
			want: want{code: catalog.HTTPBodyMismatch, severity: report.Fail, layer: "http", target: addr, rootCause: true,
				message: []string{"does not match /ok|UP/", "max_body"}, evidence: []string{"body_regex", "body_truncated"}},
		},

		// ------------------------------------------------------------ latency
		{
			name: "latency: p90 above max_latency",
			up:   func() *graph.Upstream { u := httpUp(); u.Expect.MaxLatency = 300 * time.Millisecond; return u }(),
			res: func() probe.Result {
				r := withHTTP(200, nil)
				r.Targets[0].Latency = &probe.LatencyResult{Samples: msSamples(100, 120, 110, 130, 400, 420, 105, 115, 125, 135)}
				return r
			}(),
			want: want{code: catalog.LatencySlow, severity: report.Warn, layer: "latency", target: addr, rootCause: true,
				message: []string{"p90 400ms to 10.0.0.7:8080 is above max_latency 300ms (p50 120ms, p99 420ms, 10 samples)"}},
			layers: &report.Layers{DNS: report.Skip, TCP: report.Pass, TLS: report.Skip, HTTP: report.Pass, Latency: report.LWarn},
		},
		{
			name: "latency: a failed sample is an intermittent warning",
			up:   httpUp(),
			res: func() probe.Result {
				r := withHTTP(200, nil)
				r.Targets[0].Latency = &probe.LatencyResult{Planned: 4,
					Samples: append(msSamples(1, 2, 3), probe.LatencySample{Duration: time.Millisecond, Err: errRefused})}
				return r
			}(),
			want: want{code: catalog.HTTPIntermittent, severity: report.Warn, layer: "latency", target: addr, rootCause: true,
				message:  []string{"1 of 4 latency samples to 10.0.0.7:8080 failed while the others passed (intermittent); the first, sample 4: connection refused"},
				evidence: []string{"failed", "samples", "first_failed_sample", "first_error"}},
		},

		// ------------------------------------------------------------ run
		{
			name: "run: deadline exceeded",
			up:   httpUp(),
			res: probe.Result{Upstream: "users", Unfinished: context.DeadlineExceeded,
				DNS: dnsOK("users.internal", "10.0.0.7"), Targets: []probe.TargetResult{okTarget(addr)}},
			want: want{code: catalog.RunDeadlineExceeded, severity: report.Fail, layer: "run", rootCause: false,
				message: []string{"the run deadline was exceeded before users finished (dns done, tcp 1/1 targets, http 0/1, latency 0/1)"}},
			layers: &report.Layers{DNS: report.Pass, TCP: report.Pass, TLS: report.Skip, HTTP: report.Skip, Latency: report.Skip},
		},
		{
			name: "run: interrupted; canceled errors are not causes",
			up:   httpUp(),
			res: probe.Result{Upstream: "users", Unfinished: context.Canceled,
				Targets: []probe.TargetResult{{Address: addr, TCP: &probe.TCPResult{Err: &net.OpError{Op: "dial", Err: context.Canceled}}}}},
			want: want{code: catalog.RunInterrupted, severity: report.Fail, layer: "run", rootCause: false,
				message: []string{"interrupted before users finished (tcp 0/1 targets"}},
			layers: &report.Layers{DNS: report.Skip, TCP: report.Skip, TLS: report.Skip, HTTP: report.Skip, Latency: report.Skip},
		},
	}

	seen := map[string]bool{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rep := run(graphOf(tc.up), tc.res)
			u := upstreamOf(t, rep, tc.up.Name)
			if len(u.Findings) != 1 {
				t.Fatalf("want exactly one finding, got %v", codes(u.Findings))
			}
			f := u.Findings[0]
			w := tc.want
			t.Logf("%s %s: %s\n\t%s", f.Code, f.Severity, f.Message, strings.Join(f.Remediation, "\n\t"))
			if f.Code != w.code || f.Severity != w.severity || f.Layer != w.layer || f.Target != w.target || f.RootCause != w.rootCause {
				t.Errorf("got code=%s severity=%s layer=%s target=%q root_cause=%v\nwant code=%s severity=%s layer=%s target=%q root_cause=%v",
					f.Code, f.Severity, f.Layer, f.Target, f.RootCause, w.code, w.severity, w.layer, w.target, w.rootCause)
			}
			mustContain(t, "message", f.Message, w.message...)
			for _, k := range w.evidence {
				if _, ok := f.Evidence[k]; !ok {
					t.Errorf("evidence lacks %q: %v", k, f.Evidence)
				}
			}
			if strings.Contains(f.Message, "\n") {
				t.Errorf("message is not one line: %q", f.Message)
			}
			e, _ := catalog.Lookup(f.Code)
			if n := len(e.Steps(catalog.Vars{Variant: w.variant})); len(f.Remediation) != n {
				t.Errorf("remediation has %d steps, catalogue %d (variant %q)", len(f.Remediation), n, w.variant)
			}
			for _, s := range f.Remediation {
				if strings.Contains(s, "{{") || strings.Contains(s, "<no value>") {
					t.Errorf("unrendered remediation step %q", s)
				}
			}
			wantStatus := report.Degraded
			switch {
			case w.layer == catalog.LayerRun:
				// A probe the run cut short: unknown, never a root cause
				// (SPEC §5).
				wantStatus = report.Unknown
			case w.severity == report.Fail:
				wantStatus = report.Unhealthy
			}
			if u.Status != wantStatus || rep.Status != wantStatus {
				t.Errorf("status upstream=%s report=%s, want %s", u.Status, rep.Status, wantStatus)
			}
			if tc.layers != nil && u.Layers != *tc.layers {
				t.Errorf("layers %+v, want %+v", u.Layers, *tc.layers)
			}
			wantCauses := 1
			if !w.rootCause {
				wantCauses = 0
			}
			if len(rep.RootCauses) != wantCauses || wantCauses == 1 && rep.RootCauses[0].Code != w.code {
				t.Errorf("root causes %+v, want %d", rep.RootCauses, wantCauses)
			}
		})
		seen[tc.want.code] = true
	}

	// Every code this issue classifies is covered by the table.
	for _, code := range []string{
		catalog.DNSNXDomain, catalog.DNSServfail, catalog.DNSTimeout, catalog.DNSNoRecords, catalog.DNSResolverMismatch,
		catalog.TCPRefused, catalog.TCPTimeout, catalog.TCPUnreachable,
		catalog.TLSHandshakeFailed, catalog.TLSCertExpired, catalog.TLSCertNotYetValid, catalog.TLSCertExpiring,
		catalog.TLSHostnameMismatch, catalog.TLSUntrusted,
		catalog.HTTPTimeout, catalog.HTTPUnavailable, catalog.HTTPServerError, catalog.HTTPAuthFailed, catalog.HTTPRateLimited,
		catalog.HTTPUnexpectedStatus, catalog.HTTPBodyMismatch, catalog.HTTPTooManyRedirects,
		catalog.GatewayBadGateway, catalog.GatewayTimeout, catalog.LatencySlow,
		catalog.RunDeadlineExceeded, catalog.RunInterrupted,
	} {
		if !seen[code] {
			t.Errorf("no classification case for %s", code)
		}
	}
}
