package probe

import (
	"crypto/x509"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
)

// Options are the run-wide settings. Everything per upstream — timeout,
// samples, max_body, resolvers — comes from the graph, defaults applied.
type Options struct {
	// Concurrency is how many upstream×target probes (or dns layers) are in
	// flight at once; below 1 it is taken as 1.
	Concurrency int
	// HostsPath and ResolvConfPath are where the "system" resolver reads
	// from; empty means /etc/hosts and /etc/resolv.conf. Tests point them
	// at temporary files.
	HostsPath      string
	ResolvConfPath string
}

// EventKind says what an Event reports.
type EventKind int

const (
	// UpstreamStarted is sent when the first layer of an upstream begins.
	UpstreamStarted EventKind = iota + 1
	// LayerDone is sent when a layer of one target (or the dns layer) ends.
	LayerDone
	// UpstreamDone is sent when every layer of an upstream has ended.
	UpstreamDone
)

// Event reports progress. Observers must not block for long.
type Event struct {
	Kind     EventKind
	Upstream string
	Target   string        // "" for the dns layer and upstream-level events
	Layer    catalog.Layer // the layer that ended, for LayerDone
	Done     int           // upstreams finished so far (UpstreamDone)
	Total    int           // upstreams in the run
	Result   *Result       // set on UpstreamDone
}

// Observer receives events; it may be nil.
type Observer func(Event)

// Result holds every fact gathered about one upstream.
type Result struct {
	Upstream string
	Started  time.Time
	Duration time.Duration
	// DNS is the resolution of the URL host. It is nil when the dns layer
	// did not resolve the URL host: an IP literal host, or targets are set
	// (the URL host is then never connected to; each target that names a
	// host has its own TargetResult.DNS instead).
	DNS *DNSResult
	// Targets in a stable order (resolved address order, or targets order).
	Targets []TargetResult
	// Unfinished is non-nil when the run's context ended before this upstream
	// finished: context.DeadlineExceeded for --deadline, context.Canceled for
	// an interrupt. What did finish is still recorded.
	Unfinished error
	// Proxy is the proxy the upstream's url is reached through (the proxy
	// key, graph.Proxy.For); nil for a direct connection. Then the one
	// target is the proxy: its tcp layer connects to it and opens the
	// tunnel to the url's host (CONNECT, SOCKS5) — plain connect only for
	// an http:// url through an HTTP proxy, which takes the request itself.
	Proxy *graph.ProxyChoice
}

// DNSResult is the dns layer of one upstream.
type DNSResult struct {
	Name    string // the host name asked for
	Queries []DNSQuery
	// Cut are the questions the end of the lookup's context (the run's
	// deadline, an interrupt, or the operation's timeout for the host of a
	// redirect) left without an answer: their Rcode is "" and Err wraps the
	// context's error. They are not facts about the name — an answer that
	// did not arrive says nothing about which records exist — and are kept
	// apart from Queries so that nothing reads them as one.
	Cut []DNSQuery
	// Addresses is the union of the addresses answered, deduplicated, in
	// first-seen order (IPv4 before IPv6 when both were asked).
	Addresses []string
	Duration  time.Duration
}

// DNSQuery is one question (A or AAAA) to one resolver.
type DNSQuery struct {
	// Resolver is the resolver of the upstream's resolvers that was asked.
	Resolver graph.Resolver
	// Server is the nameserver that answered (HOST:PORT): the resolver's
	// own address, or for the system resolver the resolv.conf nameserver
	// that answered; "" when the hosts file answered or no nameserver did.
	Server string
	QType  string // "A" or "AAAA"
	// Name is the fully qualified name the answer is for ("backend.svc.
	// cluster.local."): the name asked, or for the system resolver the
	// candidate of resolv.conf's search list that answered (the last one
	// asked when none did).
	Name string
	// Searched lists every fully qualified name the system resolver asked,
	// in order, when resolv.conf's search list and ndots made it ask more
	// than one (Name is among them); nil otherwise.
	Searched []string
	// Rcode is the response code name ("NOERROR", "NXDOMAIN", "SERVFAIL",
	// "REFUSED", ...); "" when no answer came (then Err says why).
	Rcode     string
	Addresses []string
	// CNAMEChain is the names followed from Name through the CNAME records
	// of the answer, in order, excluding Name itself. When the chain loops,
	// its last name is the one it returned to and CNAMELoop is set.
	CNAMEChain []string
	CNAMELoop  bool
	// Truncated: the answer over UDP came back with the TC flag (RFC 1035
	// §4.1.1) and the question was asked again over TCP (RFC 7766 §5).
	// When that retry failed, Rcode is "" and Err is a *TCPRetryError.
	Truncated bool
	// ExtendedErrors are the Extended DNS Errors (RFC 8914) the answer
	// carried in its EDNS(0) OPT record, in order.
	ExtendedErrors []ExtendedError
	Duration       time.Duration
	Err            error
}

// ExtendedError is one Extended DNS Error option of an answer (RFC 8914
// §2): a registered INFO-CODE, its name in the IANA registry, and the
// server's EXTRA-TEXT (may be empty).
type ExtendedError struct {
	Code uint16 // INFO-CODE, e.g. 7
	Name string // e.g. "Signature Expired"; "" for an unregistered code
	Text string // EXTRA-TEXT as the server sent it
}

// TCPRetryError is the failure of the retry over TCP that a truncated UDP
// answer calls for (RFC 7766 §5): the server answered over UDP with the TC
// flag, and asking again over TCP at Server failed with Err.
type TCPRetryError struct {
	Server string // HOST:PORT
	Err    error
}

func (e *TCPRetryError) Error() string {
	return "the UDP answer of " + e.Server + " was truncated (TC) and the retry over TCP failed: " + e.Err.Error()
}

func (e *TCPRetryError) Unwrap() error { return e.Err }

// NameserverError is the failure of one nameserver of resolv.conf asked by
// the system resolver; when every nameserver failed, DNSQuery.Err joins
// one per nameserver (errors.Join), in resolv.conf order.
type NameserverError struct {
	Server string // HOST:PORT
	Err    error
}

func (e *NameserverError) Error() string { return "nameserver " + e.Server + ": " + e.Err.Error() }

func (e *NameserverError) Unwrap() error { return e.Err }

// ResolverName names the resolver of q as reports show it: "HOST:PORT",
// "tcp://HOST:PORT", "system" (the hosts file answered, or no nameserver
// did), or "system (HOST:PORT)" (the resolv.conf nameserver that answered).
func (q DNSQuery) ResolverName() string {
	if q.Resolver.Kind == graph.ResolverSystem && q.Server != "" {
		return "system (" + q.Server + ")"
	}
	return q.Resolver.String()
}

// TargetResult is every layer of one target (an address to connect to).
type TargetResult struct {
	Address string // "IP:PORT" or a "HOST:PORT" entry of targets (the target's label)
	// Name is the host name of a "HOST:PORT" entry of targets; "" for an IP
	// address and for the resolved addresses of the URL host.
	Name string
	// DNS is the resolution of Name through the upstream's resolvers (the
	// same code path as the URL host: hosts file and resolv.conf for
	// "system", miekg/dns for explicit resolvers). Targets naming the same
	// host share one DNSResult. nil when Name is "".
	DNS *DNSResult
	// Dial is the "IP:PORT" the layers connect to when Name is set: the
	// first address DNS answered, with the target's port. "" when the name
	// did not resolve: then no layer below ran (TCP is nil). The URL's Host
	// header and the SNI are unchanged.
	Dial    string
	TCP     *TCPResult     // nil when not reached
	TLS     *TLSResult     // nil for http/tcp upstreams or when not reached
	HTTP    *HTTPResult    // nil for tcp/tls upstreams or when not reached
	Latency *LatencyResult // nil when samples is 0 or a lower layer failed
}

// DialAddress is the "IP:PORT" the layers of t connect to.
func (t *TargetResult) DialAddress() string {
	if t.Dial != "" {
		return t.Dial
	}
	return t.Address
}

// RedirectError is a redirect the http layer could not follow: its
// Location is not a URL (Err holds the parser's error), or it names a
// scheme other than http and https (Scheme).
type RedirectError struct {
	Location string
	Scheme   string
	Err      error
}

func (e *RedirectError) Error() string {
	if e.Err != nil {
		return "redirect to invalid Location " + strconv.Quote(e.Location) + ": " + e.Err.Error()
	}
	return "redirect to unsupported scheme " + strconv.Quote(e.Scheme)
}

// Unwrap returns the URL parser's error, if any.
func (e *RedirectError) Unwrap() error { return e.Err }

// ResolveError is the failure to resolve a host name met after the dns
// layer — the host of a redirect to another host — through the upstream's
// resolvers (never the system's own resolver). DNS holds the facts.
type ResolveError struct {
	Name string
	DNS  *DNSResult
}

func (e *ResolveError) Error() string {
	why := "no address"
	for _, q := range slices.Concat(e.DNS.Queries, e.DNS.Cut) {
		switch {
		case q.Rcode != "" && q.Rcode != "NOERROR":
			why = q.Rcode
		case q.Rcode == "" && q.Err != nil:
			why = q.Err.Error()
		default:
			continue
		}
		break
	}
	return "resolve " + e.Name + ": " + why
}

// Unwrap returns the errors of the queries, those of the questions cut
// included (a context error when the run ended during the lookup).
func (e *ResolveError) Unwrap() []error {
	var errs []error
	for _, q := range slices.Concat(e.DNS.Queries, e.DNS.Cut) {
		if q.Err != nil {
			errs = append(errs, q.Err)
		}
	}
	return errs
}

// TCPResult is one connect.
type TCPResult struct {
	Duration time.Duration
	Err      error
}

// TLSResult is one handshake and the chain verification done by probe itself.
type TLSResult struct {
	// ServerName is the name the certificate is verified for: tls
	// server_name, else the URL host (an IP address for an IP URL).
	ServerName string
	// SNI is the server_name extension the ClientHello carried: ServerName
	// without a trailing dot, or "" when none was sent — ServerName is an
	// IP address, which TLS clients never send as SNI (RFC 6066 §3).
	SNI      string
	Duration time.Duration
	Version  string // "TLS 1.3"
	ALPN     string
	// PeerCertificates as presented, leaf first; present whenever the
	// handshake got that far, even when verification failed.
	PeerCertificates []*x509.Certificate
	// VerifiedChain is the chain verification built, leaf first, ending at
	// the trusted root (from tls.ca_file or the system pool, whether or not
	// the server also sent it); nil when verification failed or was not
	// done (insecure_skip_verify). Its certificates that the server sent
	// are those of PeerCertificates it contains.
	VerifiedChain []*x509.Certificate
	// HandshakeErr is a failure of the handshake itself (not TLS, reset, timeout, alert).
	HandshakeErr error
	// Legacy is the outcome of a second, diagnostic handshake made after
	// the first failed in the negotiation (an alert from the server, a
	// close or reset, a protocol error — not a timeout, not a peer that
	// does not speak TLS): it also offers TLS 1.0 and 1.1 and every cipher
	// suite crypto/tls implements, insecure ones included. nil when it was
	// not made or failed too.
	Legacy *LegacyHandshake
	// LegacyErr is the error of that diagnostic handshake when it was
	// made and failed too (the server refused the legacy offer as well:
	// it shares no version and cipher suite with crypto/tls, or it
	// refuses for another reason, such as a missing server name); nil
	// when it was not made or completed.
	LegacyErr error
	// ClientCertRequested is set when the server asked for a client
	// certificate (a CertificateRequest arrived); ClientCertSent when one
	// (tls.cert_file) was presented in answer. A server that requires one
	// and rejects the answer fails the handshake: over TLS 1.3 its alert
	// comes after the client's side of the handshake is done, so the tls
	// layer waits briefly for it and records it in HandshakeErr.
	ClientCertRequested bool
	ClientCertSent      bool
	// VerifyErr is the chain/hostname verification error: x509.HostnameError,
	// x509.UnknownAuthorityError, x509.CertificateInvalidError, ...; nil when
	// trusted or when insecure_skip_verify is set.
	VerifyErr error
}

// LegacyHandshake is what a server that refused updoc's ordinary offer
// (TLS 1.2 and 1.3, Go's default cipher suites) chose when it was also
// offered TLS 1.0, 1.1 and the legacy suites. Nothing is sent over that
// connection; it is closed at once.
type LegacyHandshake struct {
	Version     string // "TLS 1.0"
	CipherSuite string // "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"
	// VersionID and CipherSuiteID are the IANA code points (tls.VersionTLS10, ...).
	VersionID     uint16
	CipherSuiteID uint16
}

// HTTPResult is one HTTP exchange (after following redirects).
type HTTPResult struct {
	Method     string
	URL        string   // the final URL
	Redirects  []string // Location URLs followed, in order
	StatusCode int      // 0 when no response headers arrived
	// Proto is the protocol of the answer: "HTTP/1.1", "HTTP/1.0", or
	// "HTTP/2.0" when TLS negotiated h2 (ALPN, RFC 7301).
	Proto  string
	Header http.Header
	// Body keeps the ends of the body read: all of it when it is at most
	// 2×BodyKeep bytes, else its first and its last BodyKeep bytes, joined
	// (readBody). It is decoded from its Content-Encoding when updoc can
	// (ContentEncoding). BodyBytes is the length of the body read (bytes,
	// decoded; at most max_body); BodyTruncated is set when more was
	// available (decoded, or as sent).
	Body          []byte
	BodyBytes     int64
	BodyTruncated bool
	// BodyMissing: expect.body_contains is not in the body read;
	// BodyUnmatched: expect.body_regex does not match it. Both are checked
	// on the whole body read, as it streamed by.
	BodyMissing, BodyUnmatched bool
	// ContentEncoding lists the codings Body was decoded from ("gzip");
	// Undecoded names a coding updoc cannot decode ("br"): then Body is
	// the body as sent.
	ContentEncoding string
	Undecoded       string
	Timings         Timings
	// Err is nil when a response arrived and its body was read (up to max_body).
	// ErrPhase says where it failed: "connect", "proxy" (the tunnel through
	// the proxy), "tls", "request", "headers", "body", "decode" (the body
	// did not decode from its Content-Encoding), "redirect".
	Err      error
	ErrPhase string
	// TooManyRedirects is set when more than 5 redirects, or a loop, was met.
	TooManyRedirects bool

	// Remote is the "IP:PORT" the last request connected to (the proxy's
	// when it went through one); Proxy the proxy it went through, nil when
	// direct.
	Remote string
	Proxy  *graph.ProxyChoice
	// TLSHops are the TLS handshakes of redirects to https URLs whose
	// certificate the tls layer did not check — another host or port, or
	// any https URL of an http:// upstream — in order; each verified as
	// the tls layer verifies its own. A hop that failed ends the exchange
	// (Err, ErrPhase "tls") before a request is sent to it.
	TLSHops []TLSHop
	// Received holds the first bytes (at most MaxReceived) the server sent
	// on the last request's connection when no valid response head came
	// from it — a malformed status line or header, a header block cut
	// short, TLS records, HTTP/2 frames — nil otherwise. Over HTTP/2 it is
	// never set.
	Received []byte
	// OtherProtocol is what the port of an http:// request answered a
	// second, probing connection with when the request got no valid
	// HTTP/1.x answer (or a 400): "tls" (a TLS handshake succeeded, or the
	// server answered it with a TLS alert), "h2c" (it answered the HTTP/2
	// connection preface with a SETTINGS frame, RFC 9113 §3.4); "" when
	// not probed or neither.
	OtherProtocol string
}

// TLSHop is one TLS handshake the http layer made to follow a redirect.
type TLSHop struct {
	URL     string    // the https URL requested
	Address string    // "IP:PORT" connected to (the proxy's when through one)
	TLS     TLSResult // as the tls layer records its own handshake
}

// MaxReceived is how many bytes of a malformed answer HTTPResult.Received keeps.
const MaxReceived = 16 << 10

// Timings are httptrace phase durations of the last request.
type Timings struct {
	DNS, Connect, TLS, TTFB, Transfer, Total time.Duration
}

// LatencyResult is the latency layer of one target: its samples, in the
// order they ran.
type LatencyResult struct {
	Samples []LatencySample
	// Planned is how many samples were planned (the upstream's samples).
	// Fewer ran when one timed out: another would have waited as long again.
	Planned int
}

// LatencySample is one sample: the upstream's request with its body read
// up to max_body bytes (http/https), or one TCP connect (tcp/tls).
type LatencySample struct {
	// Duration is from the start of the request (or connect) to the end of
	// the body read; for a failed sample, until it failed.
	Duration time.Duration
	// Status is the HTTP status answered; 0 for a connect, or when no
	// answer came.
	Status int
	// Err says why the sample failed: no answer, or the body could not be
	// read; nil when it completed (whatever the status).
	Err error
	// Reconnect says why this sample opened a new connection instead of
	// reusing the previous sample's; "" when it reused it (or ran on the
	// connection set up before the first sample). Its Duration includes the
	// connect (and TLS handshake).
	Reconnect Reconnect
}

// Reconnect is why a latency sample opened a new connection.
type Reconnect string

const (
	// ReconnectServerClosed: the server closed the kept-alive connection
	// after its previous answer without saying so (no Connection: close).
	// net/http noticed it closed while idle, or re-sent the (replayable)
	// request on a new connection when the closed one gave no answer; curl
	// re-opens it the same way.
	ReconnectServerClosed Reconnect = "server_closed"
	// ReconnectConnectionClose: the previous answer asked to close the
	// connection (Connection: close, or HTTP/1.0 without keep-alive).
	ReconnectConnectionClose Reconnect = "connection_close"
	// ReconnectBodyCut: the previous body was longer than max_body; it was
	// not read to its end, so its connection was dropped.
	ReconnectBodyCut Reconnect = "body_cut"
	// ReconnectAfterFailure: the previous sample failed, and its
	// connection with it.
	ReconnectAfterFailure Reconnect = "after_failure"
)
