package diagnose

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/probe"
)

// fingerprintRow is one line of the proxy fingerprint table (SPEC §4):
// status, headers and body pattern → product. Every condition that is set
// must hold. The cause code follows from the status alone (gatewayCode),
// so that the rules of SPEC §4 hold by construction — any 502 is
// gateway.bad_gateway, any 504 gateway.timeout, a recognised 503
// gateway.no_healthy_upstream (never http.unavailable), and a 404 is
// gateway.route_not_found only when a row for 404 matched — except for the
// rows that set Code: a proxy that refused the request itself
// (gateway.overloaded), whatever the status it chose for it.
//
// A row either marks the product's own answer — a body only the product
// writes, or a header it adds to its own errors only (Body, Header) — or
// only names a product on the path (Server, HeaderPrefix): an identity row.
// An identity row never matches an answer its product says it forwarded
// (forwardedBy).
type fingerprintRow struct {
	ID      string // stable name, reported as evidence "fingerprint"
	Product string // "Envoy", "HAProxy", ...; Envoy rows become "Istio" for server: istio-envoy
	Status  []int  // statuses the row applies to
	// Server is a case-insensitive prefix of one of the Server header values.
	Server string
	// Header must be present (any value); HeaderPrefix: some header name
	// starts with it (lower case, e.g. "x-envoy-").
	Header       string
	HeaderPrefix string
	// Absent must not be present: e.g. x-envoy-upstream-service-time, which
	// Envoy adds to responses it forwarded (so the 404 came from upstream).
	Absent string
	// Body must match the body read (first max_body bytes); EmptyBody
	// requires that no body byte arrived.
	Body      func() *regexp.Regexp
	EmptyBody bool
	// Generic: Body is also what any program of the product's language
	// writes (Go net/http's http.NotFound and http.StatusText texts): the
	// row says only that the product may have answered. The answer is
	// judged by the plain status rules, and the message says it may be
	// either (possibleProxyAnswer); behind a proxy that forwarded the
	// answer the row does not match at all.
	Generic bool
	// Variant names the remediation variant that tells the product's
	// answer from the service's, for a Generic row.
	Variant string
	// Code is the row's cause whatever the status; "" takes it from the
	// status (gatewayCode).
	Code string
	// Describe says what the answer means, for the message; "" means the
	// generic text of the status.
	Describe string
}

var (
	gateway5xx    = []int{502, 504}
	cloudflare52x = []int{520, 521, 522, 523, 524, 525, 526}
	status503     = []int{503}
	status404     = []int{404}
	status429     = []int{429}
)

// body is a body pattern, compiled on its first use (a command that
// diagnoses nothing does not compile the table at start); (?s) so that .
// crosses lines.
func body(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?s)` + pattern) })
}

// fingerprintTable is THE proxy fingerprint table, most specific first. A
// row marks what the product itself writes: a body only it writes, a
// header it adds to its own answers only, or an empty body where its own
// answer has none. A Server header or header prefix alone names a product
// on the path, not the author of the answer: nginx, HAProxy and Envoy pass
// their backend's 502/504 through unchanged under their own Server header;
// those names are in pathProducts, and such an answer is the service's own
// (passedon.go). The fixtures each row is tested against are in
// fingerprints_test.go, with their sources.
var fingerprintTable = []fingerprintRow{
	// ── the proxy refused the request itself: gateway.overloaded ─────────
	// Envoy sets x-envoy-overloaded on the answers it gives when a request
	// was dropped by circuit breaking or the overload manager (Envoy docs,
	// router filter, "x-envoy-overloaded"; response flag UO). A backend may
	// set it too, to stop Envoy's retries: then Envoy forwarded it, and
	// x-envoy-upstream-service-time says so.
	{ID: "envoy.overloaded", Product: "Envoy", Status: []int{503}, Header: "X-Envoy-Overloaded", Absent: "X-Envoy-Upstream-Service-Time",
		Code:     catalog.GatewayOverloaded,
		Describe: "Envoy refused the request itself (x-envoy-overloaded): a circuit breaker of the cluster is open — max connections, pending requests or requests reached (response flag UO) — while its hosts may be healthy"},
	// The same refusal with the header stripped: the local reply's body
	// names the reset reason "overflow" (measured on Envoy 1.33: 503, 81-byte
	// body, x-envoy-overloaded: true; Istio docs, circuit breaking task).
	{ID: "envoy.overflow", Product: "Envoy", Status: []int{503},
		Body:     body(`^upstream connect error or disconnect/reset before headers\. (?:retried and the latest )?reset reason: overflow\s*$`),
		Code:     catalog.GatewayOverloaded,
		Describe: "reset reason: overflow — Envoy refused the request itself: a circuit breaker of the cluster is open (max connections, pending requests or requests reached; response flag UO) while its hosts may be healthy"},
	// The overload manager's stop_accepting_requests action: "envoy
	// overloaded" (source/common/http/conn_manager_impl.cc; response flag OM).
	{ID: "envoy.overload_manager", Product: "Envoy", Status: []int{503}, Body: body(`^envoy overloaded\s*$`),
		Code:     catalog.GatewayOverloaded,
		Describe: "envoy overloaded — Envoy's overload manager is shedding requests: the proxy itself is short of memory or connections (response flag OM)"},
	// The local rate limit filter's reply: 429 "local_rate_limited"
	// (envoy.filters.http.local_ratelimit; response flag RL).
	{ID: "envoy.local_rate_limited", Product: "Envoy", Status: status429, Body: body(`^local_rate_limited\s*$`),
		Code:     catalog.GatewayOverloaded,
		Describe: "local_rate_limited — Envoy's local rate limit filter rejected the request: its token bucket is empty (response flag RL)"},
	// Spring Cloud Gateway with a Resilience4j circuit breaker and no
	// fallbackUri: an open circuit (CallNotPermittedException) becomes
	// ServiceUnavailableException, reason "Upstream service is temporarily
	// unavailable" (spring-cloud-gateway SpringCloudCircuitBreakerResilience4JFilterFactory,
	// support/ServiceUnavailableException.java). Spring Boot's error JSON
	// carries the reason as "message" when server.error.include-message is on;
	// without it the 503 cannot be told from the service's own.
	{ID: "spring_cloud_gateway.circuit_open", Product: "Spring Cloud Gateway", Status: status503,
		Body:     body(`"message"\s*:\s*"Upstream service is temporarily unavailable"`),
		Code:     catalog.GatewayOverloaded,
		Describe: "Upstream service is temporarily unavailable — the route's circuit breaker (Resilience4j) is open, so the gateway refuses calls without trying the backend"},
	// ── Envoy / Istio ────────────────────────────────────────────────────
	{ID: "envoy.no_healthy_upstream", Product: "Envoy", Status: status503, Body: body(`^no healthy upstream\s*$`),
		Describe: "no healthy upstream: every host of its cluster is unhealthy, ejected or missing (response flag UH)"},
	{ID: "envoy.upstream_connect_error", Product: "Envoy", Status: []int{502, 503, 504},
		Body:     body(`^upstream connect error or disconnect/reset before headers`),
		Describe: "upstream connect error or disconnect/reset before headers: it could not connect to, or was reset by, the upstream host (response flags UF/UC/URX)"},
	{ID: "envoy.upstream_request_timeout", Product: "Envoy", Status: []int{504}, Body: body(`^upstream request timeout\s*$`),
		Describe: "upstream request timeout: the route timeout expired before the upstream answered (response flag UT)"},
	{ID: "envoy.route_not_found", Product: "Envoy", Status: status404, Server: "envoy", EmptyBody: true, Absent: "X-Envoy-Upstream-Service-Time",
		Describe: "no route matches this host and path (empty 404, response flag NR)"},
	{ID: "istio.route_not_found", Product: "Envoy", Status: status404, Server: "istio-envoy", EmptyBody: true, Absent: "X-Envoy-Upstream-Service-Time",
		Describe: "no route matches this host and path (empty 404, response flag NR)"},

	// ── HAProxy: its built-in error pages (no Server header) ─────────────
	{ID: "haproxy.503", Product: "HAProxy", Status: status503,
		Body:     body(`<h1>503 Service Unavailable</h1>\s*No server is available to handle this request\.`),
		Variant:  catalog.VariantLimitOrNoUpstream,
		Describe: "No server is available to handle this request: every server of the backend is down or in maintenance — or they are up and busy: a request that waited in the queue (maxconn reached) past timeout queue gets the same page; a wait before this answer points at the queue"},
	{ID: "haproxy.502", Product: "HAProxy", Status: gateway5xx,
		Body:     body(`<h1>502 Bad Gateway</h1>\s*The server returned an invalid or incomplete response\.`),
		Describe: "the server returned an invalid or incomplete response"},
	{ID: "haproxy.504", Product: "HAProxy", Status: gateway5xx,
		Body:     body(`<h1>504 Gateway Time-out</h1>\s*The server didn't respond in time\.`),
		Describe: "the server didn't respond in time (timeout server)"},

	// ── Kong: JSON messages of its own ───────────────────────────────────
	{ID: "kong.ring_balancer", Product: "Kong", Status: []int{502, 503, 504},
		Body:     body(`"message"\s*:\s*"failure to get a peer from the ring-balancer"`),
		Describe: "failure to get a peer from the ring-balancer: no target of the Kong upstream is healthy"},
	{ID: "kong.name_resolution", Product: "Kong", Status: []int{502, 503, 504},
		Body:     body(`"message"\s*:\s*"name resolution failed"`),
		Describe: "name resolution failed: Kong could not resolve the service's host"},
	{ID: "kong.no_route", Product: "Kong", Status: status404,
		Body:     body(`"message"\s*:\s*"no Route matched with those values"`),
		Describe: "no Route matched with those values"},
	{ID: "kong.invalid_response", Product: "Kong", Status: gateway5xx,
		Body:     body(`"message"\s*:\s*"An invalid response was received from the upstream server"`),
		Describe: "an invalid response was received from the upstream server"},
	{ID: "kong.upstream_timeout", Product: "Kong", Status: gateway5xx,
		Body:     body(`"message"\s*:\s*"The upstream server is timing out"`),
		Describe: "the upstream server is timing out"},

	// ── Traefik: Go net/http plain-text answers, no Server header ────────
	{ID: "traefik.no_available_server", Product: "Traefik", Status: status503, Body: body(`^no available server\n?$`),
		Describe: "no available server: the router matched but its service has no healthy server"},
	// Go net/http's stock texts, which Traefik writes too: http.NotFound
	// when no router matches (Traefik FAQ "404 Not found"); the
	// CircuitBreaker middleware's fallback, WriteHeader(503) and
	// http.StatusText(503) without a newline
	// (pkg/middlewares/circuitbreaker); its proxy's ErrorHandler,
	// http.StatusText(502/504) without a newline (pkg/proxy/httputil). Any
	// Go service answers the same bytes, so these rows only say Traefik may
	// have answered (Generic).
	{ID: "traefik.route_not_found", Product: "Traefik", Status: status404, Absent: "Server", Body: body(`^404 page not found\n?$`), Generic: true,
		Variant:  catalog.VariantGo404OrTraefik,
		Describe: "the text any Go net/http service writes for a path it has no handler for (http.NotFound), and what Traefik answers when no router matches this host and path: either may have answered"},
	{ID: "traefik.circuit_open", Product: "Traefik", Status: status503, Absent: "Server", Body: body(`^Service Unavailable$`), Generic: true,
		Variant:  catalog.VariantGo503OrTraefik,
		Describe: "the text a Go service writes with http.StatusText(503), and what Traefik's CircuitBreaker middleware answers while open: either may have answered"},
	{ID: "traefik.bad_gateway", Product: "Traefik", Status: []int{502}, Absent: "Server", Body: body(`^Bad Gateway$`), Generic: true,
		Describe: "the text Traefik writes when the connection to its backend failed, and what a Go service writes with http.StatusText(502): either may have answered"},
	{ID: "traefik.gateway_timeout", Product: "Traefik", Status: []int{504}, Absent: "Server", Body: body(`^Gateway Timeout$`), Generic: true,
		Describe: "the text Traefik writes when its backend did not answer in time, and what a Go service writes with http.StatusText(504): either may have answered"},

	// ── AWS ALB (before nginx: same page layout, no nginx footer) ────────
	{ID: "alb.503", Product: "AWS ALB", Status: status503, Server: "awselb",
		Body:     body(`<h1>503 Service Temporarily Unavailable</h1>`),
		Describe: "503 Service Temporarily Unavailable: the target group has no healthy (or no registered) target"},
	// The ALB writes Server: awselb/2.0 on its own answers only and passes
	// the target's headers (and no Server of its own) on forwarded ones: here
	// the Server header marks the author.
	{ID: "alb.gateway", Product: "AWS ALB", Status: gateway5xx, Server: "awselb"},

	// ── nginx (and OpenResty, ingress-nginx): stock error pages ──────────
	{ID: "nginx.503", Product: "nginx", Status: status503,
		Body:     body(`<h1>503 Service Temporarily Unavailable</h1></center>\r?\n<hr><center>(?:nginx|openresty)`),
		Variant:  catalog.VariantLimitOrNoUpstream,
		Describe: "nginx's stock 503 page: what limit_req and limit_conn answer when they reject a request, and what ingress-nginx answers for a Service without ready endpoints (plain nginx answers 502 for \"no live upstreams\"); the page cannot tell which, nginx's error log can"},
	{ID: "nginx.page", Product: "nginx", Status: gateway5xx, Body: body(`<hr><center>(?:nginx|openresty)`)},

	// ── Caddy: empty answers with Server: Caddy ──────────────────────────
	{ID: "caddy.no_upstreams", Product: "Caddy", Status: status503, Server: "Caddy", EmptyBody: true,
		Describe: "no upstreams available: every upstream of reverse_proxy is marked unhealthy"},
	{ID: "caddy.gateway", Product: "Caddy", Status: gateway5xx, Server: "Caddy", EmptyBody: true},

	// ── Linkerd: the proxy marks its own errors ──────────────────────────
	{ID: "linkerd.proxy_error", Product: "Linkerd", Status: []int{502, 503, 504}, Header: "L5d-Proxy-Error",
		Describe: "the Linkerd proxy answered itself (l5d-proxy-error): fail-fast or connection error to the endpoints"},
	// Linkerd 1.x marks its own error answers with l5d-err (e.g. "No hosts
	// are available for /svc/..."); l5d-success-class it adds to every
	// answer, forwarded ones too (linkerd/linkerd ClassifierFilter), so that
	// header alone names no cause (forwardingSignals).
	{ID: "linkerd1.error", Product: "Linkerd", Status: []int{502, 503, 504}, Header: "L5d-Err",
		Describe: "Linkerd answered itself (l5d-err): no host available or a connection error to it"},

	// ── Cloudflare: 52x are its own codes; its 502/504 page names it ─────
	{ID: "cloudflare.5xx", Product: "Cloudflare", Status: cloudflare52x, Server: "cloudflare"},
	// Cloudflare's own 502/504 pages: title "HOST | 502: Bad gateway",
	// links to cloudflare.com and the cf-error-details block. An origin's
	// 502/504 with another body, passed on, is the origin's (pathProducts).
	{ID: "cloudflare.page", Product: "Cloudflare", Status: gateway5xx, Server: "cloudflare",
		Body: body(`(?i)\| 50[24]: (?:bad gateway|gateway time-?out)|cloudflare\.com|cf-error-details`)},
}

// gatewayCode is the cause of a proxy's answer with this status; "" when
// a proxy's answer with it is not a gateway cause.
func gatewayCode(status int) string {
	switch {
	// Cloudflare's 522 (connect to the origin timed out) and 524 (the
	// origin did not answer in time) are timeouts; its other 52x are the
	// bad-gateway family.
	case status == http.StatusGatewayTimeout, status == 522, status == 524:
		return catalog.GatewayTimeout
	case status == http.StatusBadGateway, status >= 520 && status <= 526:
		return catalog.GatewayBadGateway
	case status == http.StatusServiceUnavailable:
		return catalog.GatewayNoHealthyUpstream
	case status == http.StatusNotFound:
		return catalog.GatewayRouteNotFound
	}
	return ""
}

// proxyMatch is what the fingerprints say about an answer: the proxy that
// answered itself (a row matched), or the proxy that only forwarded the
// service's own answer (Forwarded set, no row), or both — a proxy's own
// answer forwarded by another proxy in front of it.
type proxyMatch struct {
	ID       string // the row that matched, reported as evidence "fingerprint"; "" when none did
	Product  string // "Envoy", "Istio (Envoy)", "HAProxy", ...
	Code     string // gateway.* code: the row's, else from the status (gatewayCode)
	Describe string // what the answer means, for the message
	Variant  string // the remediation variant of the row, "" for the generic steps
	// Possible is the Generic row that matched: the product may have
	// answered, or the service itself; nil otherwise.
	Possible *fingerprintRow
	// Forwarded names the proxy that signalled it forwarded the answer
	// from its backend; nil when none did.
	Forwarded *forwarder
	// PassedOn names the product on the path (its Server header) when no
	// row matched: the answer is not its own, it passed it on.
	PassedOn *pathProduct
}

// matchProxy recognises the proxies in an answer: the first row of
// fingerprintTable that matches hr (its code, product refined by the
// headers, and description), and the proxy that forwarded it. ok is false
// when neither was found: the answer is the service's own, through no
// proxy updoc can name.
func matchProxy(hr *probe.HTTPResult) (proxyMatch, bool) {
	if hr == nil {
		return proxyMatch{}, false
	}
	h := hr.Header
	if h == nil {
		h = http.Header{}
	}
	fw := forwardedBy(h)
	for _, r := range fingerprintTable {
		if r.match(hr.StatusCode, h, hr.Body, fw) {
			if r.Generic {
				return proxyMatch{Possible: &r}, true
			}
			code := r.Code
			if code == "" {
				code = gatewayCode(hr.StatusCode)
			}
			if fw != nil && fw.Product == r.Product {
				// The product's own answer (its body or error header says
				// so) carries its forwarding header too: Kong's own 502
				// after a failed upstream has X-Kong-Upstream-Latency.
				fw = nil
			}
			return proxyMatch{ID: r.ID, Product: r.product(h), Code: code, Describe: r.describe(hr.StatusCode), Variant: r.Variant, Forwarded: fw}, true
		}
	}
	if fw != nil {
		return proxyMatch{Forwarded: fw}, true
	}
	if p := namedOnPath(h); p != nil {
		return proxyMatch{PassedOn: p}, true
	}
	return proxyMatch{}, false
}

// forwardingSignal is a header a proxy adds to the answers it forwarded
// from its backend, and not to the answers it gives itself (SPEC §4: such
// an answer's status is the service's own).
type forwardingSignal struct {
	Product string
	Header  string
	// Contains, when set, must be in the header's value (case-insensitive).
	Contains string
	// Unless: the signal does not hold when this header is present (the
	// product's mark on its own answers).
	Unless string
}

// forwardingSignals, with their sources. Products without one: HAProxy,
// Traefik and nginx add no header to forwarded answers (their own are told
// by their bodies); the AWS ALB names itself (Server: awselb/2.0) only on
// its own answers, and passes the target's headers; Cloudflare puts
// Server: cloudflare on every answer and brands the origin's 502/504 too,
// so its 502/504 stay gateway causes.
var forwardingSignals = []forwardingSignal{
	// Envoy's router sets x-envoy-upstream-service-time, the time the
	// upstream took, on answers that came from the upstream (Envoy docs,
	// router filter, "x-envoy-upstream-service-time"); local replies
	// (no healthy upstream, connect failure, timeout, overflow) lack it.
	// Istio's sidecars and gateways are Envoy.
	{Product: "Envoy", Header: "X-Envoy-Upstream-Service-Time"},
	// Kong sets X-Kong-Upstream-Latency (and X-Kong-Proxy-Latency) when it
	// proxied the request, X-Kong-Response-Latency when it answered itself,
	// and Via: kong/VERSION on proxied answers only (Kong's own spec:
	// spec/02-integration/05-proxy "headers": "should be returned when
	// request was proxied", "should return Kong 'Via' header ... when
	// request was proxied"). Its own 502 when the upstream failed carries
	// the latency headers too: its JSON body tells it (kong.* rows).
	{Product: "Kong", Header: "X-Kong-Upstream-Latency"},
	{Product: "Kong", Header: "Via", Contains: "kong/"},
	// Caddy's reverse_proxy drops its own Server header from a proxied
	// answer and adds "Via: 1.1 Caddy" (caddyserver/caddy
	// modules/caddyhttp/reverseproxy/reverseproxy.go, since #6275).
	{Product: "Caddy", Header: "Via", Contains: " Caddy"},
	// Linkerd 1.x adds l5d-success-class to every answer and l5d-err only
	// to its own errors (linkerd/linkerd ClassifierFilter, ErrorResponder).
	{Product: "Linkerd", Header: "L5d-Success-Class", Unless: "L5d-Err"},
}

// forwarder is a proxy that signalled it forwarded an answer: its product
// and the header that says so ("x-envoy-upstream-service-time: 12").
type forwarder struct {
	Product string
	Signal  string
}

// forwardedBy returns the first proxy whose forwarding signal h carries.
func forwardedBy(h http.Header) *forwarder {
	for _, f := range forwardingSignals {
		if f.Unless != "" && len(h.Values(f.Unless)) > 0 {
			continue
		}
		for _, v := range h.Values(f.Header) {
			if f.Contains == "" || strings.Contains(strings.ToLower(v), strings.ToLower(f.Contains)) {
				return &forwarder{Product: f.Product, Signal: strings.ToLower(f.Header) + ": " + v}
			}
		}
	}
	return nil
}

// proxyAnswer reports an answer in which matchProxy recognised a proxy:
// `503 "no healthy upstream" from Envoy at ADDR (GET URL): ...` for a
// proxy's own answer, and the service's own status (forwardedAnswer) for
// an answer a proxy only forwarded.
func proxyAnswer(s *subject, i int, hr *probe.HTTPResult, fp proxyMatch) []draft {
	switch {
	case fp.Possible != nil:
		return possibleProxyAnswer(s, i, hr, fp.Possible)
	case fp.ID == "" && fp.Forwarded != nil:
		return forwardedAnswer(s, i, hr, fp.Forwarded)
	case fp.ID == "":
		return passedOnAnswer(s, i, hr, fp.PassedOn)
	}
	vars := s.vars(i)
	vars.Status = strconv.Itoa(hr.StatusCode)
	vars.Product = fp.Product
	ev := map[string]any{
		"status_code": hr.StatusCode, "product": fp.Product, "fingerprint": fp.ID,
		"method": hr.Method, "url": redactURL(hr.URL),
	}
	for _, h := range []string{"Server", "Via", "L5d-Proxy-Error", "Retry-After"} {
		if v := hr.Header.Get(h); v != "" {
			ev[evidenceKey(h)] = v
		}
	}
	// The proxy's words stand for the status's reason phrase: `503 "no
	// healthy upstream"`.
	what := statusText(hr.StatusCode)
	switch said := bodyWords(hr.Body, ev); {
	case ev["body"] != "":
		what = strconv.Itoa(hr.StatusCode) + " " + said
	case hr.Method != http.MethodHead:
		what += " (" + said + ")"
	}
	extra := ""
	if fp.Code == catalog.GatewayTimeout || fp.Variant == catalog.VariantLimitOrNoUpstream {
		extra = " after " + fmtMS(hr.Timings.Total)
		ev["duration_ms"] = ms(hr.Timings.Total)
	}
	for _, h := range []string{"X-Envoy-Overloaded", "L5d-Err"} {
		if v := hr.Header.Get(h); v != "" {
			ev[evidenceKey(h)] = v
		}
	}
	if fw := fp.Forwarded; fw != nil {
		ev["forwarded_by"] = fw.Product
		ev["forwarding_signal"] = fw.Signal
		extra += ", forwarded by " + fw.Product + " in front of it (" + fw.Signal + ")"
	}
	return []draft{{
		Code: fp.Code, Layer: catalog.LayerHTTP, Target: i,
		Message: fmt.Sprintf("%s from %s at %s (%s %s)%s: %s", what, fp.Product,
			s.addrOf(i), hr.Method, redactURL(hr.URL), extra, fp.Describe),
		Evidence: ev,
		Vars:     &vars,
		Variant:  fp.Variant,
	}}
}

// forwardedAnswer reports an answer a proxy forwarded from its backend
// (SPEC §4): the status is the service's own, judged by the plain status
// rules — a forwarded 502 or 504 is the service's server error, not a
// gateway's — and the evidence names the proxy that forwarded it.
func forwardedAnswer(s *subject, i int, hr *probe.HTTPResult, fw *forwarder) []draft {
	out := statusUnexpected(s, i, hr)
	for k := range out {
		d := &out[k]
		if strings.HasPrefix(d.Code, "gateway.") {
			d.Code = catalog.HTTPServerError
		}
		d.Message += ", forwarded by " + fw.Product + " (" + fw.Signal + "): the service behind it answered this itself"
		d.Evidence["forwarded_by"] = fw.Product
		d.Evidence["forwarding_signal"] = fw.Signal
		if d.Vars != nil {
			d.Vars.Product = fw.Product
		}
	}
	return out
}

// match: the row holds for this answer, which fw (nil: no proxy) says it
// forwarded.
func (r fingerprintRow) match(status int, h http.Header, b []byte, fw *forwarder) bool {
	if !slices.Contains(r.Status, status) || (r.Code == "" && gatewayCode(status) == "") {
		return false
	}
	if fw != nil && (r.Generic || r.identityOnly() && r.Product == fw.Product) {
		return false
	}
	if r.Server != "" && !hasServerPrefix(h, r.Server) {
		return false
	}
	if r.Header != "" && len(h.Values(r.Header)) == 0 {
		return false
	}
	if r.HeaderPrefix != "" && !hasHeaderPrefix(h, r.HeaderPrefix) {
		return false
	}
	if r.Absent != "" && len(h.Values(r.Absent)) > 0 {
		return false
	}
	if r.EmptyBody && len(b) > 0 {
		return false
	}
	if r.Body != nil && !r.Body().Match(b) {
		return false
	}
	return true
}

// identityOnly: the row only names a product on the path (its Server
// header, a header prefix), nothing that marks the product's own answer.
func (r fingerprintRow) identityOnly() bool { return r.Body == nil && r.Header == "" }

func hasServerPrefix(h http.Header, prefix string) bool {
	for _, v := range h.Values("Server") {
		v = strings.TrimSpace(v)
		if len(v) >= len(prefix) && strings.EqualFold(v[:len(prefix)], prefix) {
			// "envoy" must not match "envoy-something-else"? It may: a
			// custom build keeps the prefix. But "istio-envoy" is its own row.
			return true
		}
	}
	return false
}

func hasHeaderPrefix(h http.Header, prefix string) bool {
	for k := range h {
		if strings.HasPrefix(strings.ToLower(k), prefix) {
			return true
		}
	}
	return false
}

// product is the row's product, refined by the Server header: Envoy rows
// answered with server: istio-envoy are Istio's.
func (r fingerprintRow) product(h http.Header) string {
	if r.Product == "Envoy" && hasServerPrefix(h, "istio-envoy") {
		return "Istio (Envoy)"
	}
	return r.Product
}

func (r fingerprintRow) describe(status int) string {
	if r.Describe != "" {
		return r.Describe
	}
	switch {
	case status == http.StatusBadGateway:
		return "bad gateway: it got no valid answer from its backend"
	case status == http.StatusGatewayTimeout:
		return "gateway timeout: its backend did not answer in time"
	case status >= 520 && status <= 526:
		return cloudflareMeaning[status]
	}
	return "a proxy error"
}

// cloudflareMeaning: Cloudflare's 52x, all failures between Cloudflare and
// the origin (the bad-gateway family).
var cloudflareMeaning = map[int]string{
	520: "520 web server is returning an unknown error (empty, unknown or invalid answer from the origin)",
	521: "521 web server is down (the origin refused the connection)",
	522: "522 connection timed out (the TCP connection to the origin timed out)",
	523: "523 origin is unreachable",
	524: "524 a timeout occurred (the origin accepted the connection but did not answer in time)",
	525: "525 SSL handshake failed between Cloudflare and the origin",
	526: "526 invalid SSL certificate on the origin",
}
