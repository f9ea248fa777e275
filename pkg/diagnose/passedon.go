package diagnose

import (
	"net/http"
	"strings"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/probe"
)

// pathProduct is a product that names itself on every answer that passes
// through it — its own and its backend's — by a Server header or a header
// prefix. Such a name says who is on the path, not who wrote the answer:
// the product's own answers are told by what it writes (fingerprintTable).
type pathProduct struct {
	Product string
	// Server is a case-insensitive prefix of a Server header value;
	// HeaderPrefix a lower-case prefix of some header's name.
	Server       string
	HeaderPrefix string
	// OwnPage says what the product's own error answers look like, for the
	// message: "nginx's own error page".
	OwnPage string
}

// pathProducts, with why their name alone does not make an answer theirs.
var pathProducts = []pathProduct{
	// nginx (proxy_pass) hides the upstream's Server header and writes its
	// own on every answer; it passes the upstream's 502/504 and their bodies
	// through unchanged (proxy_intercept_errors is off by default). Its own
	// errors are its stock pages (ngx_http_special_response.c).
	{Product: "nginx", Server: "nginx", OwnPage: "nginx's stock error page (\"<hr><center>nginx</center>\")"},
	{Product: "nginx", Server: "openresty", OwnPage: "OpenResty's stock error page (\"<hr><center>openresty</center>\")"},
	// Envoy overwrites Server with "envoy" on forwarded answers unless
	// server_header_transformation says otherwise; with
	// suppress_envoy_headers it adds no x-envoy-upstream-service-time, so
	// only its local reply bodies tell its own answers.
	{Product: "Envoy", Server: "istio-envoy", OwnPage: "Envoy's local reply (\"no healthy upstream\", \"upstream connect error …\", \"upstream request timeout\")"},
	{Product: "Envoy", Server: "envoy", OwnPage: "Envoy's local reply (\"no healthy upstream\", \"upstream connect error …\", \"upstream request timeout\")"},
	{Product: "Envoy", HeaderPrefix: "x-envoy-", OwnPage: "Envoy's local reply (\"no healthy upstream\", \"upstream connect error …\", \"upstream request timeout\")"},
	{Product: "Kong", Server: "kong/", OwnPage: "Kong's JSON error ({\"message\":…})"},
	{Product: "Kong", HeaderPrefix: "x-kong-", OwnPage: "Kong's JSON error ({\"message\":…})"},
	// HAProxy adds no Server header itself; one set by http-response
	// set-header names it on every answer.
	{Product: "HAProxy", Server: "haproxy", OwnPage: "HAProxy's built-in error page"},
	{Product: "Traefik", Server: "traefik", OwnPage: "Traefik's plain-text error"},
	// Caddy's own reverse_proxy errors are empty.
	{Product: "Caddy", Server: "Caddy", OwnPage: "Caddy's empty error answer"},
	// Cloudflare writes Server: cloudflare on every answer; its own 502/504
	// are its branded pages.
	{Product: "Cloudflare", Server: "cloudflare", OwnPage: "Cloudflare's error page"},
}

// namedOnPath returns the first product of pathProducts that h names.
func namedOnPath(h http.Header) *pathProduct {
	for k := range pathProducts {
		p := &pathProducts[k]
		if (p.Server != "" && hasServerPrefix(h, p.Server)) || (p.HeaderPrefix != "" && hasHeaderPrefix(h, p.HeaderPrefix)) {
			return p
		}
	}
	return nil
}

// named is how the message names p: "nginx" when its Server header (which
// the message already shows) names it, else "Envoy (x-envoy-…: VALUE)".
func (p *pathProduct) named(h http.Header) string {
	if p.Server != "" {
		return p.Product
	}
	for k, vs := range h {
		if strings.HasPrefix(strings.ToLower(k), p.HeaderPrefix) && len(vs) > 0 {
			return p.Product + " (" + strings.ToLower(k) + ": " + vs[0] + ")"
		}
	}
	return p.Product
}

// passedOnAnswer reports an answer that carries a product's name but not
// what the product writes itself: the product passed on its backend's
// answer (SPEC §4: the status is the service's own), judged by the plain
// status rules, with the product as evidence "passed_on_by". A HEAD answer
// has no body to tell the two apart: its 502/504 stays a gateway cause and
// the message says so.
func passedOnAnswer(s *subject, i int, hr *probe.HTTPResult, p *pathProduct) []draft {
	out := statusUnexpected(s, i, hr) // quotes the body
	headOnly := hr.Method == http.MethodHead
	for k := range out {
		d := &out[k]
		switch {
		case headOnly && strings.HasPrefix(d.Code, "gateway."):
			d.Message += ", passed through " + p.named(hr.Header) + ": a HEAD answer has no body, so it cannot tell " +
				p.OwnPage + " from its backend's own answer (set method: GET to tell them apart)"
		default:
			if strings.HasPrefix(d.Code, "gateway.") {
				d.Code = catalog.HTTPServerError
			}
			d.Message += ", passed on by " + p.named(hr.Header) + ": the body is not " + p.OwnPage +
				", so the service behind it answered this itself"
		}
		d.Evidence["passed_on_by"] = p.Product
		if d.Vars != nil {
			d.Vars.Product = p.Product
		}
	}
	return out
}
