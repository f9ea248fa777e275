package diagnose

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/probe"
)

// fingerprintRow is one line of the proxy fingerprint table (SPEC §4):
// status, headers and body pattern → product. Every condition that is set
// must hold. The cause code is not part of a row: it follows from the
// status alone (gatewayCode), so that the rules of SPEC §4 hold by
// construction — any 502 is gateway.bad_gateway, any 504 gateway.timeout,
// a recognised 503 gateway.no_healthy_upstream (never http.unavailable),
// and a 404 is gateway.route_not_found only when a row for 404 matched.
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
	Body      *regexp.Regexp
	EmptyBody bool
	// Describe says what the answer means, for the message; "" means the
	// generic text of the status.
	Describe string
}

var (
	gateway5xx   = []int{502, 504}
	cloudflare5x = []int{502, 504, 520, 521, 522, 523, 524, 525, 526}
	status503    = []int{503}
	status404    = []int{404}
)

// body compiles a body pattern; (?s) so that . crosses lines.
func body(pattern string) *regexp.Regexp { return regexp.MustCompile(`(?s)` + pattern) }

// fingerprintTable is THE proxy fingerprint table, most specific first:
// body patterns, then product-specific headers, then the Server header
// alone (which only names the product of a 502/504: those are gateway
// codes whatever the product). The fixtures each row is tested against are
// in fingerprints_test.go, with their sources.
var fingerprintTable = []fingerprintRow{
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
		Describe: "No server is available to handle this request: every server of the backend is down or in maintenance"},
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
	{ID: "traefik.route_not_found", Product: "Traefik", Status: status404, Absent: "Server", Body: body(`^404 page not found\n?$`),
		Describe: "404 page not found: no router matches this host and path (the same text as any Go net/http 404)"},
	{ID: "traefik.bad_gateway", Product: "Traefik", Status: []int{502}, Absent: "Server", Body: body(`^Bad Gateway$`),
		Describe: "Bad Gateway: the backend connection failed"},
	{ID: "traefik.gateway_timeout", Product: "Traefik", Status: []int{504}, Absent: "Server", Body: body(`^Gateway Timeout$`),
		Describe: "Gateway Timeout: the backend did not answer in time"},

	// ── AWS ALB (before nginx: same page layout, no nginx footer) ────────
	{ID: "alb.503", Product: "AWS ALB", Status: status503, Server: "awselb",
		Body:     body(`<h1>503 Service Temporarily Unavailable</h1>`),
		Describe: "503 Service Temporarily Unavailable: the target group has no healthy (or no registered) target"},
	{ID: "alb.gateway", Product: "AWS ALB", Status: gateway5xx, Server: "awselb"},

	// ── nginx (and OpenResty, ingress-nginx): stock error pages ──────────
	{ID: "nginx.503", Product: "nginx", Status: status503,
		Body:     body(`<h1>503 Service Temporarily Unavailable</h1></center>\r?\n<hr><center>(?:nginx|openresty)`),
		Describe: "503 Service Temporarily Unavailable: no live upstream (ingress-nginx: the Service has no ready endpoints)"},
	{ID: "nginx.page", Product: "nginx", Status: gateway5xx, Body: body(`<hr><center>(?:nginx|openresty)`)},

	// ── Caddy: empty answers with Server: Caddy ──────────────────────────
	{ID: "caddy.no_upstreams", Product: "Caddy", Status: status503, Server: "Caddy", EmptyBody: true,
		Describe: "no upstreams available: every upstream of reverse_proxy is marked unhealthy"},
	{ID: "caddy.gateway", Product: "Caddy", Status: gateway5xx, Server: "Caddy", EmptyBody: true},

	// ── Linkerd: the proxy marks its own errors ──────────────────────────
	{ID: "linkerd.proxy_error", Product: "Linkerd", Status: []int{502, 503, 504}, Header: "L5d-Proxy-Error",
		Describe: "the Linkerd proxy answered itself (l5d-proxy-error): fail-fast or connection error to the endpoints"},
	{ID: "linkerd.success_class", Product: "Linkerd", Status: gateway5xx, Header: "L5d-Success-Class"},

	// ── Cloudflare: 52x are its own; 502/504 named by the Server header ──
	{ID: "cloudflare.5xx", Product: "Cloudflare", Status: cloudflare5x, Server: "cloudflare"},

	// ── the Server header (or product headers) alone: 502/504 only ───────
	{ID: "envoy.header", Product: "Envoy", Status: gateway5xx, HeaderPrefix: "x-envoy-"},
	{ID: "envoy.server", Product: "Envoy", Status: gateway5xx, Server: "envoy"},
	{ID: "istio.server", Product: "Envoy", Status: gateway5xx, Server: "istio-envoy"},
	{ID: "kong.server", Product: "Kong", Status: gateway5xx, Server: "kong/"},
	{ID: "kong.header", Product: "Kong", Status: gateway5xx, HeaderPrefix: "x-kong-"},
	{ID: "nginx.server", Product: "nginx", Status: gateway5xx, Server: "nginx"},
	{ID: "openresty.server", Product: "nginx", Status: gateway5xx, Server: "openresty"},
	{ID: "haproxy.server", Product: "HAProxy", Status: gateway5xx, Server: "haproxy"},
	{ID: "traefik.server", Product: "Traefik", Status: gateway5xx, Server: "traefik"},
	{ID: "caddy.server", Product: "Caddy", Status: gateway5xx, Server: "Caddy"},
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

// proxyMatch is a fingerprint row that recognised an answer: the answer
// came from a proxy, not from the service behind it.
type proxyMatch struct {
	ID       string // the row that matched, reported as evidence "fingerprint"
	Product  string // "Envoy", "Istio (Envoy)", "HAProxy", ...
	Code     string // gateway.* code, from the status (gatewayCode)
	Describe string // what the answer means, for the message
}

// matchProxy returns the first row of fingerprintTable that matches hr,
// with its code (from the status), product (refined by the headers) and
// description.
func matchProxy(hr *probe.HTTPResult) (proxyMatch, bool) {
	if hr == nil {
		return proxyMatch{}, false
	}
	h := hr.Header
	if h == nil {
		h = http.Header{}
	}
	for _, r := range fingerprintTable {
		if r.match(hr.StatusCode, h, hr.Body) {
			return proxyMatch{ID: r.ID, Product: r.product(h), Code: gatewayCode(hr.StatusCode), Describe: r.describe(hr.StatusCode)}, true
		}
	}
	return proxyMatch{}, false
}

// proxyAnswer reports a recognised proxy answer:
// `503 "no healthy upstream" from Envoy at ADDR (GET URL): ...`.
func proxyAnswer(s *subject, i int, hr *probe.HTTPResult, fp proxyMatch) []draft {
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
	what := statusText(hr.StatusCode)
	if q := bodyQuote(hr.Body); q != "" {
		what = strconv.Itoa(hr.StatusCode) + " " + strconv.Quote(q)
		ev["body"] = q
	} else if len(hr.Body) == 0 {
		what += " (empty body)"
	}
	extra := ""
	if fp.Code == catalog.GatewayTimeout {
		extra = " after " + fmtMS(hr.Timings.Total)
		ev["duration_ms"] = ms(hr.Timings.Total)
	}
	return []draft{{
		Code: fp.Code, Layer: catalog.LayerHTTP, Target: i,
		Message: fmt.Sprintf("%s from %s at %s (%s %s)%s: %s", what, fp.Product,
			s.addrOf(i), hr.Method, redactURL(hr.URL), extra, fp.Describe),
		Evidence: ev,
		Vars:     &vars,
	}}
}

func (r fingerprintRow) match(status int, h http.Header, b []byte) bool {
	if !slices.Contains(r.Status, status) || gatewayCode(status) == "" {
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
	if r.Body != nil && !r.Body.Match(b) {
		return false
	}
	return true
}

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

// bodyQuote is the start of a body, for messages: white space collapsed,
// at most 80 bytes, valid UTF-8; the title or first heading of an HTML page.
func bodyQuote(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return ""
	}
	if bytes.HasPrefix(b, []byte("<")) {
		// An HTML page: the text of its first heading or title.
		if m := titleRE.FindSubmatch(b); m != nil {
			b = m[1]
		}
	}
	s := strings.Join(strings.Fields(strings.ToValidUTF8(string(b), "\uFFFD")), " ")
	if len(s) > 80 {
		s = strings.ToValidUTF8(s[:77], "") + "..."
	}
	return s
}

var titleRE = regexp.MustCompile(`(?is)<(?:h1|title)>([^<]{1,200})</(?:h1|title)>`)
