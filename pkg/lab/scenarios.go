package lab

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/lab/ca"
)

var errUnsupported = errors.New("not supported on this platform")

// quietLog swallows net/http server errors: the lab's own TLS faults make
// every probe log a handshake error otherwise.
var quietLog = log.New(io.Discard, "", 0)

// spec is one scenario while the lab starts.
type spec struct {
	name        string
	scheme      string // http, https, tcp, tls
	host        string // lab host name in the url
	path        string // for http(s)
	port        int    // url port (0: none, the scheme's default)
	targets     []string
	resolvers   []string // the upstream's own resolvers (nil: the lab DNS)
	dnsFault    dnsFault // how the lab DNS answers host
	dependsOn   []string
	tags        []string
	description string   // one line, also the graph's description
	comment     []string // lines explaining the upstream in Config
	tlsCA       bool     // tls.ca_file: the lab CA
	// The request keys, for http(s) scenarios (zero: the defaults).
	method       string
	headers      [][2]string // name, value as written (may hold ${VAR})
	body         string
	expectStatus []int
	bodyContains string
	nx           bool // host does not exist in the zone
	blackhole    bool // port is the connect-timeout port
	start        func() error
	want         func() []Want
	notRoot      []string
	affects      []string
}

func (s *spec) url() string {
	u := s.scheme + "://" + s.host
	if s.port != 0 {
		u += ":" + strconv.Itoa(s.port)
	}
	return u + s.path
}

func (s *spec) target() string { return addr(s.port) }

func host(name string) string { return name + "." + Zone }

// Bodies and headers served by the lab.
const (
	healthyBody     = `{"status":"UP"}` + "\n"
	maintenanceBody = "down for maintenance, back soon\n"
	envoyBody       = "no healthy upstream"
	deprecationLink = "https://docs." + Zone + "/deprecation"
	sunsetLink      = "https://docs." + Zone + "/sunset"
	ordersBody      = `{"dry_run":true}`
)

// HomeVar is the environment variable the orders scenario's header is
// expanded from (${HOME}), and HomeHeader that header. HOME is set in every
// login shell, so that the printed graph validates as it is; Env supplies it
// to the demo's own run when it is unset.
const (
	HomeVar    = "HOME"
	HomeHeader = "X-Updoc-Lab-Home"
)

// NginxPage is nginx's stock error page for status code and reason (as
// written in nginx's source: "Bad Gateway", "Gateway Time-out"), with
// server_tokens off.
func NginxPage(code int, reason string) string {
	title := strconv.Itoa(code) + " " + reason
	return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title +
		"</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
}

// specs declares every scenario, in Config order.
func (l *Lab) specs() []*spec {
	fnd := func(code string, sev catalog.Severity, layer catalog.Layer, target string) Want {
		return Want{Code: code, Severity: sev, Layer: layer, Target: target}
	}
	none := func() []Want { return nil }
	var specs []*spec
	add := func(s *spec) *spec {
		if s.path == "" && (s.scheme == "http" || s.scheme == "https") {
			s.path = "/healthz"
		}
		if s.host == "" {
			s.host = host(s.name)
		}
		if s.want == nil {
			s.want = none
		}
		specs = append(specs, s)
		return s
	}
	httpServer := func(s *spec, h http.Handler) func() error {
		return func() (err error) {
			s.port, err = l.serveHTTP(s.name, h, nil)
			return err
		}
	}
	// httpsServe serves healthy answers over TLS with the certificate
	// (and chain) issue mints when the lab starts; version, when not 0,
	// is the only TLS version the server speaks.
	httpsServe := func(s *spec, issue func() (tls.Certificate, error), countHello bool, version uint16) func() error {
		return func() error {
			cert, err := issue()
			if err != nil {
				return err
			}
			cfg := &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"http/1.1"}, MinVersion: version, MaxVersion: version}
			name := s.name
			if countHello {
				// The fault is below HTTP: count handshakes, not requests.
				cfg.GetConfigForClient = func(*tls.ClientHelloInfo) (*tls.Config, error) {
					l.count(s.name)
					return nil, nil
				}
				name = ""
			}
			s.port, err = l.serveHTTP(name, http.HandlerFunc(serveHealthy), cfg)
			return err
		}
	}
	httpsServer := func(s *spec, leaf ca.Leaf, countHello bool) func() error {
		return httpsServe(s, func() (tls.Certificate, error) { return l.ca.Issue(leaf) }, countHello, 0)
	}
	// underIntermediate issues leaf from a lab intermediate CA valid until
	// notAfter (zero: five years); the chain is leaf and intermediate.
	underIntermediate := func(leaf ca.Leaf, notAfter time.Time) func() (tls.Certificate, error) {
		return func() (tls.Certificate, error) {
			inter, err := l.ca.Intermediate("updoc lab intermediate CA", time.Time{}, notAfter)
			if err != nil {
				return tls.Certificate{}, err
			}
			return inter.Issue(leaf)
		}
	}
	now := time.Now()

	// ── healthy ──────────────────────────────────────────────────────────
	web := add(&spec{name: "web", scheme: "http", tags: []string{"healthy"},
		description: "healthy HTTP service",
		comment:     []string{"healthy — a plain HTTP service answering 200 {\"status\":\"UP\"}."},
	})
	web.start = httpServer(web, http.HandlerFunc(serveHealthy))

	secure := add(&spec{name: "secure", scheme: "https", tlsCA: true, tags: []string{"healthy"},
		description: "healthy HTTPS service, certificate signed by the lab CA",
		comment:     []string{"healthy — HTTPS with a valid certificate (one year) signed by the lab CA."},
	})
	secure.start = httpsServer(secure, ca.Leaf{Names: []string{host("secure")}}, false)

	db := add(&spec{name: "db", scheme: "tcp", tags: []string{"healthy"},
		description: "healthy TCP service (accepts connections)",
		comment:     []string{"healthy — a TCP-only upstream; the listener accepts every connection."},
	})
	db.start = func() (err error) {
		db.port, err = l.serveConns(func(c net.Conn) {
			l.count("db")
			_, _ = io.Copy(io.Discard, c) // hold until the client or the lab closes
		})
		return err
	}

	broker := add(&spec{name: "broker", scheme: "tls", tlsCA: true, tags: []string{"healthy"},
		description: "healthy TLS service, certificate signed by the lab CA",
		comment:     []string{"healthy — TCP + TLS only (tls://); completes the handshake with a lab-CA certificate."},
	})
	broker.start = func() error {
		cert, err := l.ca.Issue(ca.Leaf{Names: []string{host("broker")}})
		if err != nil {
			return err
		}
		cfg := &tls.Config{Certificates: []tls.Certificate{cert}}
		broker.port, err = l.serveConns(func(c net.Conn) {
			l.count("broker")
			tc := tls.Server(c, cfg)
			_ = tc.SetDeadline(time.Now().Add(10 * time.Second))
			if tc.Handshake() != nil {
				return
			}
			_ = tc.SetDeadline(time.Time{})
			_, _ = io.Copy(io.Discard, tc)
		})
		return err
	}

	// ── dns ──────────────────────────────────────────────────────────────
	add(&spec{name: "nxdomain", scheme: "http", host: host("ghost"), nx: true, tags: []string{"dns"},
		description: "host name that does not exist in the lab zone",
		comment: []string{"dns.nxdomain — ghost." + Zone + " is not in the zone; the lab DNS answers NXDOMAIN.",
			"No server behind it: nothing is connected to."},
		want: func() []Want { return []Want{fnd(catalog.DNSNXDomain, "fail", "dns", "")} },
	})
	add(&spec{name: "servfail", scheme: "http", host: "api." + BrokenZone, tags: []string{"dns"},
		description: "host name in a subzone whose server fails",
		comment: []string{"dns.servfail — every name under " + BrokenZone + " answers SERVFAIL",
			"(like a broken delegation or a DNSSEC failure upstream of the resolver)."},
		want: func() []Want { return []Want{fnd(catalog.DNSServfail, "fail", "dns", "")} },
	})

	// DNS faults of issue 9: an answer too big for UDP whose TCP retry
	// fails, a CNAME loop, a resolver address where nothing listens.
	add(&spec{name: "truncated", scheme: "http", dnsFault: dnsTruncated, tags: []string{"dns"},
		description: "DNS answer truncated over UDP, and the retry over TCP fails",
		comment: []string{"dns.truncated — the lab DNS answers this name over UDP with the TC flag and no records;",
			"over TCP it closes the connection unanswered (like a firewall that passes only UDP 53)."},
		want: func() []Want { return []Want{fnd(catalog.DNSTruncated, "fail", "dns", "")} },
	})
	add(&spec{name: "cnameloop", scheme: "http", dnsFault: dnsCNAMELoop, tags: []string{"dns"},
		description: "CNAME chain that loops back to the name",
		comment: []string{"dns.cname_loop — cnameloop." + Zone + " is a CNAME of " + loopPartner(host("cnameloop")) + ",",
			"which is a CNAME of cnameloop." + Zone + " again: no address at the end."},
		want: func() []Want { return []Want{fnd(catalog.DNSCNAMELoop, "fail", "dns", "")} },
	})
	var deadResolver int
	resolverdown := add(&spec{name: "resolverdown", scheme: "http", tags: []string{"dns"},
		description: "its resolver's address has no DNS server: connections are refused",
		comment: []string{"dns.resolver_unreachable — resolvers points at a TCP port of 127.0.0.1 where nothing",
			"listens (the lab holds it, so nobody else can): every query is refused at once."},
		want: func() []Want { return []Want{fnd(catalog.DNSResolverUnreachable, "fail", "dns", "")} },
	})
	resolverdown.start = func() error {
		if err := l.refusedStart(&deadResolver)(); err != nil {
			return err
		}
		resolverdown.resolvers = []string{"tcp://" + addr(deadResolver)}
		return nil
	}

	// ── tcp ──────────────────────────────────────────────────────────────
	refused := add(&spec{name: "refused", scheme: "http", tags: []string{"tcp"},
		description: "service not running: the port refuses connections",
		comment:     []string{"tcp.refused — the port is reserved by the lab but nothing listens on it (RST)."},
	})
	refused.start = l.refusedStart(&refused.port)
	refused.want = func() []Want { return []Want{fnd(catalog.TCPRefused, "fail", "tcp", refused.target())} }

	blackhole := add(&spec{name: "blackhole", scheme: "tcp", blackhole: true, tags: []string{"tcp"},
		description: "SYNs are dropped: connects time out (like a firewall that drops)",
		comment: []string{"tcp.timeout — a listener with a full accept queue that never accepts; the kernel",
			"drops further SYNs, so connects end only by the timeout."},
	})
	blackhole.want = func() []Want { return []Want{fnd(catalog.TCPTimeout, "fail", "tcp", blackhole.target())} }

	// ── tls ──────────────────────────────────────────────────────────────
	expired := add(&spec{name: "expired", scheme: "https", tlsCA: true, tags: []string{"tls"},
		description: "certificate expired three days ago (signed by the lab CA)",
		comment:     []string{"tls.cert_expired — a lab-CA certificate whose not_after is three days ago."},
	})
	expired.start = httpsServer(expired, ca.Leaf{Names: []string{host("expired")},
		NotBefore: now.AddDate(0, 0, -93), NotAfter: now.AddDate(0, 0, -3)}, true)
	expired.want = func() []Want { return []Want{fnd(catalog.TLSCertExpired, "fail", "tls", expired.target())} }

	wronghost := add(&spec{name: "wronghost", scheme: "https", tlsCA: true, tags: []string{"tls"},
		description: "certificate issued for another name (signed by the lab CA)",
		comment:     []string{"tls.hostname_mismatch — a valid lab-CA certificate for other." + Zone + " only."},
	})
	wronghost.start = httpsServer(wronghost, ca.Leaf{Names: []string{host("other")}}, true)
	wronghost.want = func() []Want {
		return []Want{fnd(catalog.TLSHostnameMismatch, "fail", "tls", wronghost.target())}
	}

	selfsigned := add(&spec{name: "selfsigned", scheme: "https", tlsCA: true, tags: []string{"tls"},
		description: "self-signed certificate (not trusted by the lab CA)",
		comment:     []string{"tls.untrusted — a self-signed certificate for the right name; the lab CA did not sign it."},
	})
	selfsigned.start = httpsServer(selfsigned, ca.Leaf{Names: []string{host("selfsigned")}, SelfSigned: true}, true)
	selfsigned.want = func() []Want {
		return []Want{fnd(catalog.TLSUntrusted, "fail", "tls", selfsigned.target())}
	}

	// ── tls: faults of real servers (issue 9) ────────────────────────────
	chain := add(&spec{name: "chain", scheme: "https", tlsCA: true, tags: []string{"tls"},
		description: "server sends its certificate without the intermediate CA that issued it",
		comment: []string{"tls.untrusted — a leaf issued by a lab intermediate CA, served alone; the lab root is in",
			"tls.ca_file, so the chain is incomplete: the finding names the intermediate not sent."},
	})
	chain.start = httpsServe(chain, func() (tls.Certificate, error) {
		cert, err := underIntermediate(ca.Leaf{Names: []string{host("chain")}}, time.Time{})()
		cert.Certificate = cert.Certificate[:min(1, len(cert.Certificate))] // the leaf alone
		return cert, err
	}, true, 0)
	chain.want = func() []Want { return []Want{fnd(catalog.TLSUntrusted, "fail", "tls", chain.target())} }

	intermediate := add(&spec{name: "intermediate", scheme: "https", tlsCA: true, tags: []string{"tls"},
		description: "intermediate CA the server sends expires in 5 days (its certificate: 59)",
		comment: []string{"tls.cert_expiring — the lab intermediate CA in the chain expires in 5 days, within the",
			"default cert_min_days (14); the leaf is valid for 59 days. The finding names the intermediate."},
	})
	intermediate.start = httpsServe(intermediate, underIntermediate(
		ca.Leaf{Names: []string{host("intermediate")}, NotAfter: now.Add(59*24*time.Hour + time.Hour)},
		now.Add(5*24*time.Hour+time.Hour)), false, 0)
	intermediate.want = func() []Want {
		return []Want{fnd(catalog.TLSCertExpiring, "warn", "tls", intermediate.target())}
	}

	cnonly := add(&spec{name: "cnonly", scheme: "https", tlsCA: true, tags: []string{"tls"},
		description: "certificate names the host in its common name only (no subjectAltName)",
		comment: []string{"tls.hostname_mismatch — a lab-CA certificate with CN=cnonly." + Zone + " and no subjectAltName,",
			"which clients since Go 1.15 and Chrome 58 do not match."},
	})
	cnonly.start = httpsServer(cnonly, ca.Leaf{Names: []string{host("cnonly")}, CommonNameOnly: true}, true)
	cnonly.want = func() []Want {
		return []Want{fnd(catalog.TLSHostnameMismatch, "fail", "tls", cnonly.target())}
	}

	legacy := add(&spec{name: "legacy", scheme: "https", tlsCA: true, tags: []string{"tls"},
		description: "server speaks TLS 1.0 only",
		comment: []string{"tls.handshake_failed — the server's MinVersion and MaxVersion are TLS 1.0; updoc requires",
			"TLS 1.2 or later, and its legacy handshake names the version the server speaks."},
	})
	legacy.start = httpsServe(legacy, func() (tls.Certificate, error) {
		return l.ca.Issue(ca.Leaf{Names: []string{host("legacy")}})
	}, true, tls.VersionTLS10)
	legacy.want = func() []Want { return []Want{fnd(catalog.TLSHandshakeFailed, "fail", "tls", legacy.target())} }

	// ── http ─────────────────────────────────────────────────────────────
	maintenance := add(&spec{name: "maintenance", scheme: "http", tags: []string{"http"},
		description: "the service itself answers 503 with Retry-After",
		comment:     []string{"http.unavailable — 503 from the service itself (no proxy signature), Retry-After: 30."},
	})
	maintenance.start = httpServer(maintenance, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, maintenanceBody)
	}))
	maintenance.want = func() []Want {
		return []Want{fnd(catalog.HTTPUnavailable, "fail", "http", maintenance.target())}
	}

	hung := add(&spec{name: "hung", scheme: "http", tags: []string{"http"},
		description: "accepts the request but never answers",
		comment:     []string{"http.timeout — connects and reads the request, then never sends response headers."},
	})
	hung.start = httpServer(hung, http.HandlerFunc(l.serveHung))
	hung.want = func() []Want { return []Want{fnd(catalog.HTTPTimeout, "fail", "http", hung.target())} }

	// ── answers that are not HTTP ───────────────────────────────────────
	emptyreply := add(&spec{name: "emptyreply", scheme: "http", tags: []string{"http"},
		description: "reads the request, then closes the connection without an answer",
		comment: []string{"http.no_response — the connection closes before a status line (curl: \"Empty reply from server\"),",
			"as when the worker handling the request crashes."},
	})
	emptyreply.start = func() (err error) {
		emptyreply.port, err = l.serveConns(func(c net.Conn) {
			_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
			if req, err := http.ReadRequest(bufio.NewReader(c)); err == nil && req.Method != "PRI" {
				l.count(emptyreply.name)
			}
		})
		return err
	}
	emptyreply.want = func() []Want {
		return []Want{fnd(catalog.HTTPNoResponse, "fail", "http", emptyreply.target())}
	}

	tlsport := add(&spec{name: "tlsport", scheme: "http", tags: []string{"http"},
		description: "an http:// url that points at an HTTPS port",
		comment: []string{"http.protocol_error — the port speaks TLS; Go's TLS server answers plain HTTP with",
			"400 \"Client sent an HTTP request to an HTTPS server.\" (use https://)."},
	})
	tlsport.start = httpsServer(tlsport, ca.Leaf{Names: []string{host("tlsport")}}, true)
	tlsport.want = func() []Want {
		return []Want{fnd(catalog.HTTPProtocolError, "fail", "http", tlsport.target())}
	}

	// ── gateway ──────────────────────────────────────────────────────────
	envoy := add(&spec{name: "envoy", scheme: "http", tags: []string{"gateway"},
		description: "an Envoy proxy with no healthy upstream in its cluster",
		comment:     []string{"gateway.no_healthy_upstream — Envoy's own 503 (server: envoy, body \"no healthy upstream\")."},
	})
	envoy.start = l.envoyStart(envoy)
	envoy.want = func() []Want {
		return []Want{fnd(catalog.GatewayNoHealthyUpstream, "fail", "http", envoy.target())}
	}

	badgw := add(&spec{name: "badgateway", scheme: "http", tags: []string{"gateway"},
		description: "nginx answers 502: its upstream broke the connection",
		comment:     []string{"gateway.bad_gateway — nginx's stock 502 page."},
	})
	badgw.start = httpServer(badgw, nginxHandler(http.StatusBadGateway, "Bad Gateway"))
	badgw.want = func() []Want { return []Want{fnd(catalog.GatewayBadGateway, "fail", "http", badgw.target())} }

	gwto := add(&spec{name: "gatewaytimeout", scheme: "http", tags: []string{"gateway"},
		description: "nginx answers 504: its upstream did not answer in time",
		comment:     []string{"gateway.timeout — nginx's stock 504 page."},
	})
	gwto.start = httpServer(gwto, nginxHandler(http.StatusGatewayTimeout, "Gateway Time-out"))
	gwto.want = func() []Want { return []Want{fnd(catalog.GatewayTimeout, "fail", "http", gwto.target())} }

	haproxy := add(&spec{name: "haproxy", scheme: "http", tags: []string{"gateway"},
		description: "an HAProxy whose backend has no server up",
		comment:     []string{"gateway.no_healthy_upstream — HAProxy's built-in 503 (\"No server is available to handle this request.\")."},
	})
	haproxy.start = l.rawStart(haproxy, func(time.Time) string { return HAProxyNoServer }, true)
	haproxy.want = func() []Want {
		return []Want{fnd(catalog.GatewayNoHealthyUpstream, "fail", "http", haproxy.target())}
	}

	traefik := add(&spec{name: "traefik", scheme: "http", tags: []string{"gateway"},
		description: "a Traefik router whose service has no available server",
		comment:     []string{"gateway.no_healthy_upstream — Traefik's 503 \"no available server\" (Go net/http plain-text error)."},
	})
	traefik.start = httpServer(traefik, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "no available server", http.StatusServiceUnavailable) // as Traefik's load balancer does
	}))
	traefik.want = func() []Want {
		return []Want{fnd(catalog.GatewayNoHealthyUpstream, "fail", "http", traefik.target())}
	}

	envoyroute := add(&spec{name: "envoyroute", scheme: "http", tags: []string{"gateway"},
		description: "an Envoy with no route for this host: empty 404",
		comment:     []string{"gateway.route_not_found — Envoy's empty-body 404 (server: envoy, no x-envoy-upstream-service-time)."},
	})
	envoyroute.start = l.rawStart(envoyroute, EnvoyNoRoute, false)
	envoyroute.want = func() []Want {
		return []Want{fnd(catalog.GatewayRouteNotFound, "fail", "http", envoyroute.target())}
	}

	kongroute := add(&spec{name: "kongroute", scheme: "http", tags: []string{"gateway"},
		description: "a Kong gateway with no Route for this host",
		comment:     []string{"gateway.route_not_found — Kong's 404 {\"message\":\"no Route matched with those values\"}."},
	})
	kongroute.start = l.rawStart(kongroute, KongNoRoute, false)
	kongroute.want = func() []Want {
		return []Want{fnd(catalog.GatewayRouteNotFound, "fail", "http", kongroute.target())}
	}

	// ── proxies' own refusals and forwarded answers; latency sampling ────
	overloaded := add(&spec{name: "overloaded", scheme: "http", tags: []string{"gateway"},
		description: "an Envoy whose circuit breaker is open: it refuses the request itself",
		comment: []string{"gateway.overloaded — Envoy's local 503 with x-envoy-overloaded: true and",
			"\"upstream connect error or disconnect/reset before headers. reset reason: overflow\"."},
	})
	overloaded.start = l.rawStart(overloaded, EnvoyOverflow, false)
	overloaded.want = func() []Want {
		return []Want{fnd(catalog.GatewayOverloaded, "fail", "http", overloaded.target())}
	}

	forwarded := add(&spec{name: "forwarded", scheme: "http", tags: []string{"http"},
		description: "the app behind an Envoy answers 502 itself; Envoy only forwards it",
		comment: []string{"http.server_error — the service's own 502, forwarded by Envoy (x-envoy-upstream-service-time):",
			"not a gateway fault."},
	})
	forwarded.start = l.rawStart(forwarded, EnvoyForwarded502, false)
	forwarded.want = func() []Want {
		return []Want{fnd(catalog.HTTPServerError, "fail", "http", forwarded.target())}
	}

	flaky := add(&spec{name: "flaky", scheme: "http", tags: []string{"http"},
		description: "answers 503 to every third request on a connection",
		comment: []string{"http.intermittent — its own check passes, one latency sample of " + strconv.Itoa(Samples) + " fails",
			"(the third request of each kept-alive connection answers 503)."},
	})
	flaky.start = func() (err error) {
		flaky.port, err = l.rawServe(flaky, func(now time.Time, k int) string {
			if k%3 == 0 {
				return flakyUnavailable
			}
			return healthyResponse(now)
		}, false)
		return err
	}
	flaky.want = func() []Want {
		return []Want{fnd(catalog.HTTPIntermittent, "warn", "latency", flaky.target())}
	}

	closing := add(&spec{name: "closing", scheme: "http", tags: []string{"healthy"},
		description: "healthy, though it closes every connection after its answer",
		comment: []string{"healthy — no Connection: close, but the server closes each connection after answering;",
			"latency samples re-open it as curl and net/http do (latency_ms.reconnects)."},
	})
	closing.start = func() (err error) {
		closing.port, err = l.rawServe(closing, func(now time.Time, _ int) string { return healthyResponse(now) }, true)
		return err
	}

	// ── api lifecycle ────────────────────────────────────────────────────
	deprecatedAt := now.AddDate(0, 0, -30).Unix()
	deprecated := add(&spec{name: "deprecated", scheme: "http", tags: []string{"api"},
		description: "200, but the API was deprecated 30 days ago",
		comment: []string{"api.deprecated — 200 with Deprecation: @<30 days ago> (RFC 9745) and",
			"a Link header with rel=\"deprecation\"."},
	})
	deprecated.start = httpServer(deprecated, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Deprecation", "@"+strconv.FormatInt(deprecatedAt, 10))
		w.Header().Set("Link", "<"+deprecationLink+`>; rel="deprecation"; type="text/html"`)
		serveHealthy(w, r)
	}))
	deprecated.want = func() []Want {
		return []Want{fnd(catalog.APIDeprecated, "warn", "http", deprecated.target())}
	}

	sunsetDeprecatedAt := now.AddDate(0, 0, -90).Unix()
	sunsetAt := now.AddDate(0, 0, -7).UTC().Format(http.TimeFormat)
	sunset := add(&spec{name: "sunset", scheme: "http", tags: []string{"api"},
		description: "200, but the API's Sunset date passed 7 days ago",
		comment: []string{"api.sunset_passed — 200 with Sunset: <7 days ago> (RFC 8594), Deprecation: @<90 days ago>",
			"and Link rel=\"sunset\"; the Deprecation header alone also makes api.deprecated."},
	})
	sunset.start = httpServer(sunset, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Deprecation", "@"+strconv.FormatInt(sunsetDeprecatedAt, 10))
		w.Header().Set("Sunset", sunsetAt)
		w.Header().Add("Link", "<"+sunsetLink+`>; rel="sunset"; type="text/html"`)
		serveHealthy(w, r)
	}))
	sunset.want = func() []Want {
		return []Want{
			fnd(catalog.APIDeprecated, "warn", "http", sunset.target()),
			fnd(catalog.APISunsetPassed, "fail", "http", sunset.target()),
		}
	}

	// ── the request keys: method, headers, body, expect, policy, ${VAR} ──
	ordersSunset := now.AddDate(0, 0, 90).UTC().Format(http.TimeFormat)
	orders := add(&spec{name: "orders", scheme: "http", path: "/v1/orders", tags: []string{"api"},
		description: "order API checked with a dry-run POST: method, headers, body and expect",
		comment: []string{"healthy — an order API checked with a dry-run POST, to show the request keys.",
			"It answers 201 {\"accepted\":true} only to a POST with Content-Type application/json,",
			"a non-empty " + HomeHeader + " header and this body; anything else gets 405, 415 or 400.",
			"The " + HomeHeader + " value comes from ${" + HomeVar + "}, expanded from the environment",
			"(set in every login shell, so this file validates as printed; `updoc demo` sets it for its",
			"own run when it is unset). Like every value from ${VAR}, it is shown as [redacted].",
			"The API also announces its Sunset 90 days ahead (api.sunset_scheduled), which the policy",
			"at the top of this file ignores."},
		method: http.MethodPost,
		headers: [][2]string{
			{"Content-Type", "application/json"},
			{HomeHeader, "${" + HomeVar + "}"},
		},
		body:         ordersBody,
		expectStatus: []int{http.StatusCreated},
		bodyContains: `"accepted":true`,
	})
	orders.start = httpServer(orders, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		serveOrders(w, r, ordersSunset)
	}))

	// ── load ─────────────────────────────────────────────────────────────
	replicas := add(&spec{name: "replicas", scheme: "http", tags: []string{"load"},
		description: "three replicas, the third answers " + strconv.Itoa(int(SlowDelay/time.Millisecond)) + " ms slower",
		comment: []string{"load.imbalance — three replicas probed through targets; the third sleeps " +
			strconv.Itoa(int(SlowDelay/time.Millisecond)) + " ms per request."},
	})
	replicas.start = func() error {
		for i := range 3 {
			h := http.HandlerFunc(serveHealthy)
			if i == 2 {
				h = l.serveSlow
			}
			p, err := l.serveHTTP("replicas", h, nil)
			if err != nil {
				return err
			}
			if i == 0 {
				replicas.port = p
			}
			replicas.targets = append(replicas.targets, addr(p))
		}
		return nil
	}
	replicas.want = func() []Want {
		return []Want{fnd(catalog.LoadImbalance, "warn", "latency", replicas.targets[2])}
	}

	var refusedReplica int
	inventory := add(&spec{name: "inventory", scheme: "http", tags: []string{"load"},
		description: "two replicas, one of them down (refused)",
		comment: []string{"load.replica_down — two targets, the first healthy, the second refused;",
			"the refused target's tcp.refused is lowered to warn."},
	})
	inventory.start = func() (err error) {
		if inventory.port, err = l.serveHTTP("inventory", http.HandlerFunc(serveHealthy), nil); err != nil {
			return err
		}
		if err = l.refusedStart(&refusedReplica)(); err != nil {
			return err
		}
		inventory.targets = []string{addr(inventory.port), addr(refusedReplica)}
		return nil
	}
	inventory.want = func() []Want {
		return []Want{
			fnd(catalog.TCPRefused, "warn", "tcp", addr(refusedReplica)),
			fnd(catalog.LoadReplicaDown, "warn", "tcp", ""),
		}
	}

	// ── a chain ──────────────────────────────────────────────────────────
	checkout := add(&spec{name: "checkout", scheme: "http", dependsOn: []string{"payments"}, tags: []string{"chain"},
		description: "Envoy gateway in front of payments: no healthy upstream",
		comment: []string{"chain — checkout's Envoy answers 503 \"no healthy upstream\" because payments is down;",
			"its gateway finding is a symptom, payments' tcp.refused is the root cause."},
		notRoot: []string{catalog.GatewayNoHealthyUpstream, catalog.DependencyUnhealthy},
	})
	checkout.start = l.envoyStart(checkout)
	checkout.want = func() []Want {
		return []Want{
			fnd(catalog.GatewayNoHealthyUpstream, "fail", "http", checkout.target()),
			fnd(catalog.DependencyUnhealthy, "warn", "graph", ""),
		}
	}

	payments := add(&spec{name: "payments", scheme: "http", tags: []string{"chain"},
		description: "payments service is down (refused); checkout depends on it",
		comment:     []string{"chain — the root cause — nothing listens on payments' port."},
		affects:     []string{"checkout"},
	})
	payments.start = l.refusedStart(&payments.port)
	payments.want = func() []Want { return []Want{fnd(catalog.TCPRefused, "fail", "tcp", payments.target())} }

	l.dnsFaults = map[string]faultyName{}
	for _, s := range specs {
		if !s.nx {
			l.hosts[fqdn(s.host)] = true
		}
		switch s.dnsFault {
		case dnsTruncated:
			l.dnsFaults[fqdn(s.host)] = faultyName{fault: dnsTruncated}
		case dnsCNAMELoop:
			a, b := fqdn(s.host), fqdn(loopPartner(s.host))
			l.dnsFaults[a] = faultyName{fault: dnsCNAMELoop, other: b}
			l.dnsFaults[b] = faultyName{fault: dnsCNAMELoop, other: a}
		}
	}
	return specs
}

func (l *Lab) refusedStart(port *int) func() error {
	return func() error {
		p, closeFn, err := refusedPort()
		if err != nil {
			return err
		}
		l.addCloser(closeFn)
		l.tcpPorts = append(l.tcpPorts, p)
		*port = p
		return nil
	}
}

// serveOrders is the orders scenario's dry-run endpoint: 201 to exactly the
// request its graph describes, and a status that says what is wrong with any
// other. Its answers announce the API's Sunset.
func serveOrders(w http.ResponseWriter, r *http.Request, sunset string) {
	w.Header().Set("Sunset", sunset)
	w.Header().Add("Link", "<"+sunsetLink+`>; rel="sunset"; type="text/html"`)
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
	switch {
	case r.Method != http.MethodPost:
		w.Header().Set("Allow", http.MethodPost)
		w.WriteHeader(http.StatusMethodNotAllowed)
		_, _ = fmt.Fprintf(w, "method %s not allowed: this endpoint takes POST\n", r.Method)
	case r.Header.Get("Content-Type") != "application/json":
		w.WriteHeader(http.StatusUnsupportedMediaType)
		_, _ = io.WriteString(w, "send Content-Type: application/json\n")
	case r.Header.Get(HomeHeader) == "":
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, "missing "+HomeHeader+" header\n")
	case err != nil || string(body) != ordersBody:
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprintf(w, "want the body %s\n", ordersBody)
	default:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = io.WriteString(w, `{"accepted":true,"dry_run":true}`+"\n")
	}
}

func serveHealthy(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = io.WriteString(w, healthyBody)
}

// serveHung never answers: it returns when the client goes away, and aborts
// the connection (no response at all) when the lab closes.
func (l *Lab) serveHung(_ http.ResponseWriter, r *http.Request) {
	select {
	case <-r.Context().Done():
	case <-l.done:
		panic(http.ErrAbortHandler)
	}
}

// serveSlow answers like serveHealthy after SlowDelay.
func (l *Lab) serveSlow(w http.ResponseWriter, r *http.Request) {
	t := time.NewTimer(SlowDelay)
	defer t.Stop()
	select {
	case <-t.C:
		serveHealthy(w, r)
	case <-r.Context().Done():
	case <-l.done:
		panic(http.ErrAbortHandler)
	}
}

func nginxHandler(code int, reason string) http.Handler {
	body := NginxPage(code, reason)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Server", "nginx")
		h.Set("Content-Type", "text/html")
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(code)
		if r.Method != http.MethodHead {
			_, _ = io.WriteString(w, body)
		}
	})
}

// envoyStart serves Envoy's own "no healthy upstream" 503, byte for byte as
// Envoy writes it on HTTP/1.1 (lower-case header names, in its order).
func (l *Lab) envoyStart(s *spec) func() error {
	return l.rawStart(s, EnvoyNoHealthyUpstream, false)
}

// rawStart serves the response respond(now) byte for byte on every request:
// a small keep-alive HTTP/1.1 loop on a plain listener rather than a
// net/http server, because net/http canonicalises header names. With
// closeAfter the connection is closed after each response (the product
// sends "Connection: close"). HEAD gets the head only.
func (l *Lab) rawStart(s *spec, respond func(now time.Time) string, closeAfter bool) func() error {
	return func() (err error) {
		s.port, err = l.rawServe(s, func(now time.Time, _ int) string { return respond(now) }, closeAfter)
		return err
	}
}

// rawServe is rawStart's loop: respond(now, k) is the response to the k-th
// request (from 1) of its connection. It returns the port.
func (l *Lab) rawServe(s *spec, respond func(now time.Time, k int) string, closeAfter bool) (int, error) {
	return l.serveConns(func(c net.Conn) {
		br := bufio.NewReader(c)
		for k := 1; ; k++ {
			_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
			req, err := http.ReadRequest(br)
			if err != nil {
				return
			}
			_, _ = io.Copy(io.Discard, io.LimitReader(req.Body, 1<<20))
			_ = req.Body.Close()
			l.count(s.name)
			resp := respond(time.Now(), k)
			if req.Method == http.MethodHead {
				if i := strings.Index(resp, "\r\n\r\n"); i >= 0 {
					resp = resp[:i+4]
				}
			}
			_ = c.SetWriteDeadline(time.Now().Add(5 * time.Second))
			if _, err := io.WriteString(c, resp); err != nil || req.Close || closeAfter {
				return
			}
		}
	})
}

// EnvoyNoHealthyUpstream is the full HTTP/1.1 response Envoy sends when its
// cluster has no healthy host, dated now.
func EnvoyNoHealthyUpstream(now time.Time) string {
	return fmt.Sprintf("HTTP/1.1 503 Service Unavailable\r\n"+
		"content-length: %d\r\n"+
		"content-type: text/plain\r\n"+
		"date: %s\r\n"+
		"server: envoy\r\n"+
		"\r\n%s", len(envoyBody), now.UTC().Format(http.TimeFormat), envoyBody)
}

// HAProxyNoServer is HAProxy's built-in 503, byte for byte as in its
// source (src/http.c, http_err_msgs[HTTP_ERR_503]).
const HAProxyNoServer = "HTTP/1.1 503 Service Unavailable\r\n" +
	"Content-length: 107\r\n" +
	"Cache-Control: no-cache\r\n" +
	"Connection: close\r\n" +
	"Content-Type: text/html\r\n" +
	"\r\n" +
	"<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n"

// EnvoyNoRoute is the empty 404 Envoy sends when no route matches (response
// flag NR), dated now.
func EnvoyNoRoute(now time.Time) string {
	return "HTTP/1.1 404 Not Found\r\n" +
		"date: " + now.UTC().Format(http.TimeFormat) + "\r\n" +
		"server: envoy\r\n" +
		"content-length: 0\r\n" +
		"\r\n"
}

// KongNoRoute is Kong 3's 404 when no Route matches, dated now.
func KongNoRoute(now time.Time) string {
	body := "{\n  \"message\":\"no Route matched with those values\",\n  \"request_id\":\"108134052a77553f7a4c9e1d0b6f2a31\"\n}"
	return "HTTP/1.1 404 Not Found\r\n" +
		"Connection: keep-alive\r\n" +
		"Content-Length: " + strconv.Itoa(len(body)) + "\r\n" +
		"Content-Type: application/json; charset=utf-8\r\n" +
		"Date: " + now.UTC().Format(http.TimeFormat) + "\r\n" +
		"Server: kong/3.10.0.1-enterprise-edition\r\n" +
		"X-Kong-Request-Id: 108134052a77553f7a4c9e1d0b6f2a31\r\n" +
		"X-Kong-Response-Latency: 0\r\n" +
		"\r\n" + body
}

// envoyOverflowBody is Envoy's local reply when a circuit breaker of the
// cluster refused the request (81 bytes, as measured on Envoy 1.33).
const envoyOverflowBody = "upstream connect error or disconnect/reset before headers. reset reason: overflow"

// EnvoyOverflow is the full HTTP/1.1 response Envoy sends when its circuit
// breaker refuses a request (response flag UO), dated now.
func EnvoyOverflow(now time.Time) string {
	return "HTTP/1.1 503 Service Unavailable\r\n" +
		"content-length: " + strconv.Itoa(len(envoyOverflowBody)) + "\r\n" +
		"content-type: text/plain\r\n" +
		"x-envoy-overloaded: true\r\n" +
		"date: " + now.UTC().Format(http.TimeFormat) + "\r\n" +
		"server: envoy\r\n" +
		"\r\n" + envoyOverflowBody
}

// EnvoyForwarded502 is the service's own 502 as Envoy forwards it: Envoy's
// headers (server: envoy, x-envoy-upstream-service-time) around the
// service's status and body, dated now.
func EnvoyForwarded502(now time.Time) string {
	body := `{"error":"payment provider rejected the call"}`
	return "HTTP/1.1 502 Bad Gateway\r\n" +
		"content-type: application/json\r\n" +
		"content-length: " + strconv.Itoa(len(body)) + "\r\n" +
		"x-envoy-upstream-service-time: 12\r\n" +
		"date: " + now.UTC().Format(http.TimeFormat) + "\r\n" +
		"server: envoy\r\n" +
		"\r\n" + body
}

// healthyResponse is serveHealthy's answer as raw HTTP/1.1 bytes, without
// Connection: close.
func healthyResponse(now time.Time) string {
	return "HTTP/1.1 200 OK\r\n" +
		"Content-Type: application/json\r\n" +
		"Cache-Control: no-store\r\n" +
		"Date: " + now.UTC().Format(http.TimeFormat) + "\r\n" +
		"Content-Length: " + strconv.Itoa(len(healthyBody)) + "\r\n" +
		"\r\n" + healthyBody
}

// flakyUnavailable is the flaky scenario's 503, the service's own.
const flakyUnavailable = "HTTP/1.1 503 Service Unavailable\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n" +
	"Content-Length: 5\r\n" +
	"\r\n" +
	"busy\n"
