package diagnose

import (
	"bufio"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

// fixture is one proxy answer, byte for byte as the product sends it on
// HTTP/1.1, with where it comes from.
type fixture struct {
	name    string
	raw     string // the whole response: status line, headers, body
	product string // "" when no fingerprint must match
	code    string
	// forwardedBy is the proxy that says it forwarded the answer ("" when
	// none does): the finding's evidence and message must name it.
	forwardedBy string
	// passedOnBy is the product named on the path (its Server header) that
	// passed on an answer that is not its own.
	passedOnBy string
	// maybe is the product that may have written a stock text any service
	// of its language writes too (QA finding 10): named as a possibility.
	maybe string
}

// Bodies written by the products (sources next to each fixture below).
const (
	haproxy503Body = "<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n"
	haproxy502Body = "<html><body><h1>502 Bad Gateway</h1>\nThe server returned an invalid or incomplete response.\n</body></html>\n"
	haproxy504Body = "<html><body><h1>504 Gateway Time-out</h1>\nThe server didn't respond in time.\n</body></html>\n"
	envoyUF        = "upstream connect error or disconnect/reset before headers. reset reason: connection failure"
	envoyOverflow  = "upstream connect error or disconnect/reset before headers. reset reason: overflow"
	kongNoRoute    = "{\n  \"message\":\"no Route matched with those values\",\n  \"request_id\":\"108134052a77553f7a4c9e1d0b6f2a31\"\n}"
)

// nginxPage is nginx's stock error page (src/http/ngx_http_special_response.c:
// ngx_http_error_tail "<hr><center>nginx</center>" with server_tokens off;
// the same bytes the lab serves, pkg/lab NginxPage).
func nginxPage(title string) string {
	return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title +
		"</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
}

// albPage is the AWS ALB's own error page: nginx's layout without the
// footer, CRLF line ends (Content-Length 162 for the 503 and 122 for the
// 502 as quoted in the sources below).
func albPage(title string) string {
	return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title +
		"</h1></center>\r\n</body>\r\n</html>\r\n"
}

func withLen(head, body string) string {
	return head + "Content-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n" + body
}

var fingerprintFixtures = []fixture{
	// Envoy's local reply when its cluster has no healthy host (response
	// flag UH): Envoy source/common/router/router.cc sends "no healthy
	// upstream" as text/plain; lower-case headers as Envoy writes them on
	// HTTP/1.1 (the lab serves the same bytes: pkg/lab EnvoyNoHealthyUpstream).
	{name: "envoy 503 no healthy upstream", product: "Envoy", code: catalog.GatewayNoHealthyUpstream,
		raw: "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 19\r\ncontent-type: text/plain\r\ndate: Wed, 25 Nov 2026 12:00:00 GMT\r\nserver: envoy\r\n\r\nno healthy upstream"},
	// Istio ingress gateway / sidecar, connection failure (flag UF): the
	// response shown at https://devopsaitoolkit.com/blog/kubernetes-error-ingress-upstream-connect-error/
	// ("server: istio-envoy", body "upstream connect error or disconnect/reset
	// before headers. reset reason: connection failure"; also in istio.io's
	// locality failover task output). Content-Length is the body's length.
	{name: "istio 503 upstream connect error", product: "Istio (Envoy)", code: catalog.GatewayNoHealthyUpstream,
		raw: withLen("HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\ndate: Sun, 28 Jun 2026 15:11:44 GMT\r\nserver: istio-envoy\r\n", envoyUF)},
	// Envoy's route timeout (flag UT): body "upstream request timeout",
	// status 504 (Envoy docs, router filter: "x-envoy-upstream-rq-timeout-ms").
	{name: "envoy 504 upstream request timeout", product: "Envoy", code: catalog.GatewayTimeout,
		raw: withLen("HTTP/1.1 504 Gateway Timeout\r\ncontent-type: text/plain\r\ndate: Wed, 25 Nov 2026 12:00:00 GMT\r\nserver: envoy\r\n", "upstream request timeout")},
	// Envoy with no route for the host/path (flag NR): 404 with an empty
	// body and no x-envoy-upstream-service-time (Envoy access-log docs:
	// "NR: No route configured for a given request in addition to 404").
	{name: "envoy 404 no route", product: "Envoy", code: catalog.GatewayRouteNotFound,
		raw: "HTTP/1.1 404 Not Found\r\ndate: Wed, 25 Nov 2026 12:00:00 GMT\r\nserver: envoy\r\ncontent-length: 0\r\n\r\n"},
	{name: "istio 404 no route", product: "Istio (Envoy)", code: catalog.GatewayRouteNotFound,
		raw: "HTTP/1.1 404 Not Found\r\ndate: Wed, 25 Nov 2026 12:00:00 GMT\r\nserver: istio-envoy\r\ncontent-length: 0\r\n\r\n"},

	// HAProxy's built-in pages: haproxy/haproxy src/http.c http_err_msgs[]
	// (HTTP_ERR_503 / _502 / _504), byte for byte.
	{name: "haproxy 503", product: "HAProxy", code: catalog.GatewayNoHealthyUpstream,
		raw: "HTTP/1.1 503 Service Unavailable\r\nContent-length: 107\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n" + haproxy503Body},
	{name: "haproxy 502", product: "HAProxy", code: catalog.GatewayBadGateway,
		raw: "HTTP/1.1 502 Bad Gateway\r\nContent-length: 107\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n" + haproxy502Body},
	{name: "haproxy 504", product: "HAProxy", code: catalog.GatewayTimeout,
		raw: "HTTP/1.1 504 Gateway Time-out\r\nContent-length: 92\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n" + haproxy504Body},
	// The errorfile shipped as an example: haproxy/haproxy examples/errorfiles/503.http
	// (HTTP/1.0, no Content-Length, an extra blank line at the end).
	{name: "haproxy 503 errorfile", product: "HAProxy", code: catalog.GatewayNoHealthyUpstream,
		raw: "HTTP/1.0 503 Service Unavailable\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n" + haproxy503Body + "\n"},

	// Traefik: the load balancer answers http.Error(rw, "no available server",
	// 503) (traefik/traefik pkg/server/service/loadbalancer/wrr/wrr.go), i.e.
	// Go net/http's plain-text error with nosniff; no Server header.
	{name: "traefik 503 no available server", product: "Traefik", code: catalog.GatewayNoHealthyUpstream,
		raw: "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nDate: Wed, 25 Nov 2026 12:00:00 GMT\r\nContent-Length: 20\r\n\r\nno available server\n"},
	// No router matched: Go's http.NotFound (Traefik docs, FAQ "Why is
	// Traefik answering 404": "404 page not found").
	{name: "traefik 404 page not found", maybe: "Traefik", code: catalog.HTTPUnexpectedStatus,
		raw: "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\nDate: Wed, 25 Nov 2026 12:00:00 GMT\r\nContent-Length: 19\r\n\r\n404 page not found\n"},
	// Proxy errors: traefik/traefik pkg/proxy/httputil/proxy.go ErrorHandler
	// writes http.StatusText(code) with no newline.
	{name: "traefik 502 Bad Gateway", maybe: "Traefik", code: catalog.GatewayBadGateway,
		raw: "HTTP/1.1 502 Bad Gateway\r\nDate: Wed, 25 Nov 2026 12:00:00 GMT\r\nContent-Length: 11\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBad Gateway"},
	{name: "traefik 504 Gateway Timeout", maybe: "Traefik", code: catalog.GatewayTimeout,
		raw: "HTTP/1.1 504 Gateway Timeout\r\nDate: Wed, 25 Nov 2026 12:00:00 GMT\r\nContent-Length: 15\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGateway Timeout"},

	// nginx stock pages (ngx_http_special_response.c: ngx_http_error_502_page,
	// _503_page "503 Service Temporarily Unavailable", _504_page "504 Gateway Time-out").
	{name: "nginx 502", product: "nginx", code: catalog.GatewayBadGateway,
		raw: withLen("HTTP/1.1 502 Bad Gateway\r\nServer: nginx\r\nDate: Wed, 25 Nov 2026 12:00:00 GMT\r\nContent-Type: text/html\r\nConnection: keep-alive\r\n", nginxPage("502 Bad Gateway"))},
	{name: "nginx 503 (ingress-nginx, no endpoints)", product: "nginx", code: catalog.GatewayNoHealthyUpstream,
		raw: withLen("HTTP/1.1 503 Service Temporarily Unavailable\r\nDate: Wed, 25 Nov 2026 12:00:00 GMT\r\nContent-Type: text/html\r\nConnection: keep-alive\r\n", nginxPage("503 Service Temporarily Unavailable"))},
	{name: "nginx 504", product: "nginx", code: catalog.GatewayTimeout,
		raw: withLen("HTTP/1.1 504 Gateway Time-out\r\nServer: nginx/1.25.3\r\nDate: Wed, 25 Nov 2026 12:00:00 GMT\r\nContent-Type: text/html\r\n", strings.ReplaceAll(nginxPage("504 Gateway Time-out"), "<center>nginx<", "<center>nginx/1.25.3<"))},

	// Kong 3.x with no matching Route: the response quoted in a Kong Data
	// Plane walkthrough on Qiita (headers, "Content-Length: 103",
	// "Server: kong/3.10.0.1-enterprise-edition"); the body is Kong's JSON
	// error {"message":..., "request_id":...} which is 103 bytes with a
	// 32-hex request id.
	{name: "kong 404 no route", product: "Kong", code: catalog.GatewayRouteNotFound,
		raw: "HTTP/1.1 404 Not Found\r\nConnection: keep-alive\r\nContent-Length: 103\r\nContent-Type: application/json; charset=utf-8\r\nDate: Thu, 01 May 2025 14:50:17 GMT\r\nServer: kong/3.10.0.1-enterprise-edition\r\nX-Kong-Request-Id: 108134052a77553f7a4c9e1d0b6f2a31\r\nX-Kong-Response-Latency: 0\r\n\r\n" + kongNoRoute},
	// Kong 2.x body as quoted in Kong/kong#7156 and the Kong ingress
	// controller issues: {"message":"failure to get a peer from the
	// ring-balancer"} with 503 (maintainer, Kong/kong#3518).
	{name: "kong 503 ring-balancer", product: "Kong", code: catalog.GatewayNoHealthyUpstream,
		raw: withLen("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\nServer: kong/2.8.1\r\nX-Kong-Response-Latency: 1\r\n", `{"message":"failure to get a peer from the ring-balancer"}`)},
	{name: "kong 503 name resolution failed", product: "Kong", code: catalog.GatewayNoHealthyUpstream,
		raw: withLen("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\nServer: kong/3.4.0\r\n", "{\n  \"message\":\"name resolution failed\"\n}")},

	// AWS ALB: curl output quoted in a petclinic staging runbook (503,
	// "Server: awselb/2.0", "Content-Length: 162") and in the SOCA docs
	// (502, "server: awselb/2.0", "content-length: 122").
	{name: "alb 503 no targets", product: "AWS ALB", code: catalog.GatewayNoHealthyUpstream,
		raw: "HTTP/1.1 503 Service Temporarily Unavailable\r\nServer: awselb/2.0\r\nDate: Thu, 26 Feb 2026 22:49:53 GMT\r\nContent-Type: text/html\r\nContent-Length: 162\r\nConnection: keep-alive\r\n\r\n" + albPage("503 Service Temporarily Unavailable")},
	{name: "alb 502", product: "AWS ALB", code: catalog.GatewayBadGateway,
		raw: "HTTP/1.1 502 Bad Gateway\r\nserver: awselb/2.0\r\ndate: Fri, 13 Aug 2021 20:00:08 GMT\r\ncontent-type: text/html\r\ncontent-length: 122\r\n\r\n" + albPage("502 Bad Gateway")},
	{name: "alb 504", product: "AWS ALB", code: catalog.GatewayTimeout,
		raw: withLen("HTTP/1.1 504 Gateway Time-out\r\nServer: awselb/2.0\r\nContent-Type: text/html\r\n", albPage("504 Gateway Time-out"))},

	// Cloudflare: Server: cloudflare and a CF-RAY on its own error pages;
	// page titles "522: Connection timed out", "502: Bad gateway" (pages
	// quoted in the Cloudflare community / useWeb3 diff, Cloudflare docs
	// "5xx errors": 520–526 are failures between Cloudflare and the origin).
	{name: "cloudflare 522", product: "Cloudflare", code: catalog.GatewayTimeout,
		raw: withLen("HTTP/1.1 522 \r\nServer: cloudflare\r\nCF-RAY: 50b5670b6e19abac-IAD\r\nContent-Type: text/html; charset=UTF-8\r\n", "<!DOCTYPE html>\n<html lang=\"en-US\">\n<head>\n<title>example.com | 522: Connection timed out</title>\n</head>\n<body>...</body>\n</html>\n")},
	{name: "cloudflare 521", product: "Cloudflare", code: catalog.GatewayBadGateway,
		raw: withLen("HTTP/1.1 521 \r\nServer: cloudflare\r\nCF-RAY: 50b5670b6e19abac-IAD\r\nContent-Type: text/html; charset=UTF-8\r\n", "<!DOCTYPE html>\n<html lang=\"en-US\">\n<head>\n<title>example.com | 521: Web server is down</title>\n</head>\n</html>\n")},
	{name: "cloudflare 502", product: "Cloudflare", code: catalog.GatewayBadGateway,
		raw: withLen("HTTP/1.1 502 Bad Gateway\r\nServer: cloudflare\r\nCF-RAY: 7bd1f0c7e8a1b2c3-IAD\r\nContent-Type: text/html; charset=UTF-8\r\n", "<!DOCTYPE html>\n<html lang=\"en-US\">\n<head>\n<title>unavatar.io | 502: Bad gateway</title>\n</head>\n</html>\n")},
	{name: "cloudflare 504", product: "Cloudflare", code: catalog.GatewayTimeout,
		raw: withLen("HTTP/1.1 504 Gateway Timeout\r\nServer: cloudflare\r\nCF-RAY: 7bd1f0c7e8a1b2c3-IAD\r\nContent-Type: text/html; charset=UTF-8\r\n", "<title>example.com | 504: Gateway time-out</title>")},

	// Caddy: reverse_proxy answers 502 when the dial fails and 503 "no
	// upstreams available" when health checks marked every upstream down,
	// with an empty body (maintainer in caddyserver/caddy#4887); Server: Caddy.
	{name: "caddy 502", product: "Caddy", code: catalog.GatewayBadGateway,
		raw: "HTTP/1.1 502 Bad Gateway\r\nServer: Caddy\r\nDate: Wed, 25 Nov 2026 12:00:00 GMT\r\nContent-Length: 0\r\n\r\n"},
	{name: "caddy 503", product: "Caddy", code: catalog.GatewayNoHealthyUpstream,
		raw: "HTTP/1.1 503 Service Unavailable\r\nServer: Caddy\r\nDate: Wed, 25 Nov 2026 12:00:00 GMT\r\nContent-Length: 0\r\n\r\n"},

	// Linkerd: the proxy marks the errors it generates with l5d-proxy-error
	// (linkerd/linkerd2-proxy L5D_PROXY_ERROR; Linkerd docs "Failfast": 503
	// or 504 when no endpoint is available). Header values as quoted in
	// troubleshooting notes of meshed clusters.
	{name: "linkerd 503 fail-fast", product: "Linkerd", code: catalog.GatewayNoHealthyUpstream,
		raw: "HTTP/1.1 503 Service Unavailable\r\nl5d-proxy-error: logical service 10.96.0.12:8000: route default.http: backend default.service: service in fail-fast\r\ncontent-length: 0\r\n\r\n"},
	{name: "linkerd 502 connection refused", product: "Linkerd", code: catalog.GatewayBadGateway,
		raw: "HTTP/1.1 502 Bad Gateway\r\nl5d-proxy-error: client error (Connect): Connection refused (os error 111)\r\nl5d-proxy-connection: close\r\ncontent-length: 0\r\n\r\n"},
	{name: "linkerd 504 behind envoy", product: "Linkerd", code: catalog.GatewayTimeout, forwardedBy: "Envoy",
		raw: "HTTP/1.1 504 Gateway Timeout\r\nl5d-proxy-error: logical service 10.96.0.12:8000: route default.http: backend default.service: service in fail-fast\r\nx-envoy-upstream-service-time: 3001\r\nserver: envoy\r\ncontent-length: 0\r\n\r\n"},
	// Linkerd 1.x marks its own errors with l5d-err (its value URL-encoded,
	// as quoted in kospiotr/us-playground-scripts linkerd-playground).
	{name: "linkerd1 502 l5d-err", product: "Linkerd", code: catalog.GatewayBadGateway,
		raw: withLen("HTTP/1.1 502 Bad Gateway\r\nl5d-err: No+hosts+are+available+for+%2Fsvc%2Fapi\r\nl5d-success-class: 0.0\r\nContent-Type: text/plain\r\n", "No hosts are available for /svc/api")},

	// ── the proxy refused the request itself: gateway.overloaded ─────────
	// Envoy's circuit breaker (max_pending_requests reached): 503, the
	// 81-byte local reply and x-envoy-overloaded: true, as measured on Envoy
	// 1.33 (case 15 of issue 9); the body is the Istio circuit-breaking
	// task's output too.
	{name: "envoy 503 circuit breaker overflow", product: "Envoy", code: catalog.GatewayOverloaded,
		raw: withLen("HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\nx-envoy-overloaded: true\r\ndate: Wed, 25 Nov 2026 12:00:00 GMT\r\nserver: envoy\r\n", envoyOverflow)},
	{name: "istio 503 overflow without the header", product: "Istio (Envoy)", code: catalog.GatewayOverloaded,
		raw: withLen("HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\nserver: istio-envoy\r\n", envoyOverflow)},
	{name: "envoy 503 overload manager", product: "Envoy", code: catalog.GatewayOverloaded,
		raw: withLen("HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain\r\nserver: envoy\r\n", "envoy overloaded")},
	{name: "envoy 429 local rate limit", product: "Envoy", code: catalog.GatewayOverloaded,
		raw: withLen("HTTP/1.1 429 Too Many Requests\r\ncontent-type: text/plain\r\nx-local-rate-limit: true\r\nserver: envoy\r\n", "local_rate_limited")},
	// Spring Cloud Gateway, open Resilience4j circuit, no fallbackUri, with
	// server.error.include-message: always (Spring Boot's WebFlux error JSON).
	{name: "spring cloud gateway 503 circuit open", product: "Spring Cloud Gateway", code: catalog.GatewayOverloaded,
		raw: withLen("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n",
			`{"timestamp":"2026-11-25T12:00:00.000+00:00","path":"/orders","status":503,"error":"Service Unavailable","message":"Upstream service is temporarily unavailable","requestId":"6b1e1a1c-12"}`)},
	// Traefik's CircuitBreaker middleware fallback: WriteHeader(503) and
	// http.StatusText(503), Go's sniffed content type, no Server header.
	{name: "traefik 503 circuit breaker", maybe: "Traefik", code: catalog.HTTPUnavailable,
		raw: "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nDate: Wed, 25 Nov 2026 12:00:00 GMT\r\nContent-Length: 19\r\n\r\nService Unavailable"},

	// ── a proxy's own answer, forwarded by another proxy in front of it ──
	{name: "haproxy 503 forwarded by envoy", product: "HAProxy", code: catalog.GatewayNoHealthyUpstream, forwardedBy: "Envoy",
		raw: "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 107\r\ncache-control: no-cache\r\ncontent-type: text/html\r\nx-envoy-upstream-service-time: 1\r\nserver: envoy\r\n\r\n" + haproxy503Body},
	{name: "nginx 502 forwarded by kong", product: "nginx", code: catalog.GatewayBadGateway, forwardedBy: "Kong",
		raw: withLen("HTTP/1.1 502 Bad Gateway\r\nServer: nginx\r\nContent-Type: text/html\r\nX-Kong-Upstream-Latency: 3\r\nX-Kong-Proxy-Latency: 0\r\nVia: kong/3.4.0\r\n", nginxPage("502 Bad Gateway"))},
	// Kong's own 502 after the upstream failed carries X-Kong-Upstream-Latency
	// too (Kong spec 05-proxy headers: "should be returned with 502 errors"):
	// its body says it is Kong's own.
	{name: "kong 502 own, with upstream latency", product: "Kong", code: catalog.GatewayBadGateway,
		raw: withLen("HTTP/1.1 502 Bad Gateway\r\nContent-Type: application/json; charset=utf-8\r\nServer: kong/3.4.0\r\nX-Kong-Upstream-Latency: 1\r\nX-Kong-Proxy-Latency: 0\r\n",
			`{"message":"An invalid response was received from the upstream server","request_id":"108134052a77553f7a4c9e1d0b6f2a31"}`)},

	// ── a product's name on someone else's answer: passed on (QA finding 3)
	// nginx 1.22 in front of a Python app that answers 502/504 itself with
	// JSON (QA's ngx.yaml): nginx passes the status and body through and
	// writes its own Server header (proxy_pass hides the upstream's).
	{name: "service 502 JSON passed on by nginx", code: catalog.HTTPServerError, passedOnBy: "nginx",
		raw: withLen("HTTP/1.1 502 Bad Gateway\r\nServer: nginx/1.22.1\r\nContent-Type: application/json\r\nConnection: keep-alive\r\n", `{"error":"payment provider returned garbage"}`)},
	{name: "service 504 JSON passed on by nginx", code: catalog.HTTPServerError, passedOnBy: "nginx",
		raw: withLen("HTTP/1.1 504 Gateway Timeout\r\nServer: nginx/1.22.1\r\nContent-Type: application/json\r\n", `{"error":"upstream bank timed out"}`)},
	{name: "service 502 empty passed on by openresty", code: catalog.HTTPServerError, passedOnBy: "nginx",
		raw: "HTTP/1.1 502 Bad Gateway\r\nServer: openresty\r\nContent-Length: 0\r\n\r\n"},
	// Envoy with suppress_envoy_headers: no x-envoy-upstream-service-time,
	// Server still envoy; the body is not one of its local replies.
	{name: "service 502 passed on by envoy without its headers", code: catalog.HTTPServerError, passedOnBy: "Envoy",
		raw: withLen("HTTP/1.1 502 Bad Gateway\r\nserver: envoy\r\ncontent-type: text/plain\r\n", "payment provider rejected the call\n")},
	{name: "service 504 passed on by istio, x-envoy header only", code: catalog.HTTPServerError, passedOnBy: "Envoy",
		raw: withLen("HTTP/1.1 504 Gateway Timeout\r\nx-envoy-decorator-operation: pay.default.svc.cluster.local:80/*\r\n", `{"error":"bank timeout"}`)},
	{name: "service 502 passed on by kong", code: catalog.HTTPServerError, passedOnBy: "Kong",
		raw: withLen("HTTP/1.1 502 Bad Gateway\r\nServer: kong/3.4.0\r\nContent-Type: text/plain\r\n", "upstream bank said no")},
	{name: "service 502 with a body passed on by caddy", code: catalog.HTTPServerError, passedOnBy: "Caddy",
		raw: withLen("HTTP/1.1 502 Bad Gateway\r\nServer: Caddy\r\nContent-Type: text/plain\r\n", "payment provider rejected the call")},
	{name: "service 504 passed on by haproxy with a Server header", code: catalog.HTTPServerError, passedOnBy: "HAProxy",
		raw: withLen("HTTP/1.1 504 Gateway Timeout\r\nServer: haproxy\r\nContent-Type: application/json\r\n", `{"error":"timeout"}`)},
	{name: "service 502 JSON passed on by cloudflare", code: catalog.HTTPServerError, passedOnBy: "Cloudflare",
		raw: withLen("HTTP/1.1 502 Bad Gateway\r\nServer: cloudflare\r\nCF-RAY: 7bd1f0c7e8a1b2c3-IAD\r\nContent-Type: application/json\r\n", `{"error":"payment provider returned garbage"}`)},
	{name: "service 503 JSON passed on by nginx", code: catalog.HTTPUnavailable, passedOnBy: "nginx",
		raw: withLen("HTTP/1.1 503 Service Unavailable\r\nServer: nginx\r\nContent-Type: application/json\r\n", `{"status":"DOWN"}`)},

	// ── not a proxy's answer ─────────────────────────────────────────────
	{name: "service 503 with Retry-After", code: catalog.HTTPUnavailable,
		raw: withLen("HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 30\r\n", "down for maintenance, back soon\n")},

	// The service's own answer, forwarded by a proxy that says so (SPEC §4,
	// case 14 of issue 9): the status is the service's, whatever it is.
	// Envoy adds x-envoy-upstream-service-time to answers from upstream
	// (router filter docs) and, by default, overwrites Server with envoy.
	{name: "service 503 behind envoy", code: catalog.HTTPUnavailable, forwardedBy: "Envoy",
		raw: withLen("HTTP/1.1 503 Service Unavailable\r\nserver: envoy\r\nx-envoy-upstream-service-time: 4\r\ncontent-type: application/json\r\n", `{"status":"DOWN"}`)},
	{name: "service 502 behind envoy", code: catalog.HTTPServerError, forwardedBy: "Envoy",
		raw: withLen("HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\nx-envoy-upstream-service-time: 12\r\nserver: envoy\r\n", "payment provider rejected the call\n")},
	{name: "service 504 behind istio", code: catalog.HTTPServerError, forwardedBy: "Envoy",
		raw: "HTTP/1.1 504 Gateway Timeout\r\nx-envoy-upstream-service-time: 30001\r\nserver: istio-envoy\r\ncontent-length: 0\r\n\r\n"},
	{name: "service 500 behind envoy, forwarded", code: catalog.HTTPServerError, forwardedBy: "Envoy",
		raw: withLen("HTTP/1.1 500 Internal Server Error\r\nx-envoy-upstream-service-time: 7\r\nserver: envoy\r\n", "boom")},
	// A backend may set x-envoy-overloaded itself to stop Envoy's retries
	// (router filter docs): forwarded, it is the service's own 503.
	{name: "service 503 overloaded header, forwarded by envoy", code: catalog.HTTPUnavailable, forwardedBy: "Envoy",
		raw: withLen("HTTP/1.1 503 Service Unavailable\r\nx-envoy-overloaded: true\r\nx-envoy-upstream-service-time: 2\r\nserver: envoy\r\n", "busy")},
	// Kong's proxied answers: X-Kong-Upstream-Latency, Via: kong/VERSION and
	// the upstream's own Server header (Kong spec 05-proxy headers).
	{name: "service 502 behind kong", code: catalog.HTTPServerError, forwardedBy: "Kong",
		raw: withLen("HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nServer: gunicorn/19.9.0\r\nX-Kong-Upstream-Latency: 26\r\nX-Kong-Proxy-Latency: 2\r\nVia: kong/2.5.0\r\n", "Bad Gateway")},
	{name: "service 504 behind kong, Via only", code: catalog.HTTPServerError, forwardedBy: "Kong",
		raw: "HTTP/1.1 504 Gateway Timeout\r\nVia: kong/3.4.0\r\nContent-Length: 0\r\n\r\n"},
	// Caddy drops its Server header from proxied answers and adds Via.
	{name: "service 502 behind caddy", code: catalog.HTTPServerError, forwardedBy: "Caddy",
		raw: "HTTP/1.1 502 Bad Gateway\r\nVia: 1.1 Caddy\r\nDate: Wed, 25 Nov 2026 12:00:00 GMT\r\nContent-Length: 0\r\n\r\n"},
	// Linkerd 1.x: l5d-success-class on a forwarded answer, no l5d-err.
	{name: "service 502 behind linkerd 1", code: catalog.HTTPServerError, forwardedBy: "Linkerd",
		raw: "HTTP/1.1 502 Bad Gateway\r\nl5d-success-class: 0.0\r\nVia: 1.1 linkerd\r\ncontent-length: 0\r\n\r\n"},
	// A Go service's http.StatusText body behind Envoy is not Traefik's.
	{name: "go service 504 text behind envoy", code: catalog.HTTPServerError, forwardedBy: "Envoy",
		raw: withLen("HTTP/1.1 504 Gateway Timeout\r\nx-envoy-upstream-service-time: 5000\r\nContent-Type: text/plain; charset=utf-8\r\n", "Gateway Timeout")},

	{name: "service 503 behind nginx", code: catalog.HTTPUnavailable, passedOnBy: "nginx",
		raw: withLen("HTTP/1.1 503 Service Unavailable\r\nServer: nginx\r\nContent-Type: application/json\r\n", `{"status":"DOWN","checks":[{"name":"db","status":"DOWN"}]}`)},
	{name: "service 503 through cloudflare", code: catalog.HTTPUnavailable, passedOnBy: "Cloudflare",
		raw: withLen("HTTP/1.1 503 Service Unavailable\r\nServer: cloudflare\r\nCF-RAY: 7bd1f0c7e8a1b2c3-IAD\r\nContent-Type: application/json\r\n", `{"error":"maintenance"}`)},
	{name: "service 500 behind envoy", code: catalog.HTTPServerError, passedOnBy: "Envoy",
		raw: withLen("HTTP/1.1 500 Internal Server Error\r\nserver: envoy\r\ncontent-type: text/plain\r\n", "no healthy upstream")},
	{name: "service 404", code: catalog.HTTPUnexpectedStatus,
		raw: withLen("HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n", `{"error":"not found"}`)},
	{name: "service 404 through envoy", code: catalog.HTTPUnexpectedStatus, forwardedBy: "Envoy",
		raw: "HTTP/1.1 404 Not Found\r\nserver: envoy\r\nx-envoy-upstream-service-time: 2\r\ncontent-length: 0\r\n\r\n"},
	{name: "service 404 behind nginx", code: catalog.HTTPUnexpectedStatus, passedOnBy: "nginx",
		raw: withLen("HTTP/1.1 404 Not Found\r\nServer: nginx\r\nContent-Type: text/html\r\n", nginxPage("404 Not Found"))},
	{name: "unknown 502", code: catalog.GatewayBadGateway,
		raw: withLen("HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\n", "oops")},
	{name: "unknown 504", code: catalog.GatewayTimeout,
		raw: "HTTP/1.1 504 Gateway Timeout\r\nContent-Length: 0\r\n\r\n"},
	{name: "unknown 520 without server", code: catalog.HTTPServerError,
		raw: "HTTP/1.1 520 \r\nContent-Length: 0\r\n\r\n"},
}

// parseFixture turns a raw response into the facts probe records.
func parseFixture(t testing.TB, raw string) *probe.HTTPResult {
	t.Helper()
	resp, err := http.ReadResponse(bufio.NewReader(strings.NewReader(raw)), nil)
	if err != nil {
		t.Fatalf("fixture does not parse: %v\n%q", err, raw)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("fixture body: %v", err)
	}
	return &probe.HTTPResult{
		Method: "GET", URL: "http://api.example.com/health", StatusCode: resp.StatusCode, Proto: resp.Proto,
		Header: resp.Header, Body: b,
		Timings: probe.Timings{TTFB: 3 * time.Millisecond, Total: 3200 * time.Microsecond},
	}
}

func diagnoseHTTP(hr *probe.HTTPResult) report.Upstream {
	t := okTarget("10.0.0.7:80")
	t.HTTP = hr
	rep := run(graphOf(node("api", "http://api.example.com/health")), probe.Result{Upstream: "api", Targets: []probe.TargetResult{t}})
	return rep.Upstreams[0]
}

func TestFingerprintFixtures(t *testing.T) {
	seen := map[string]bool{}
	for _, fx := range fingerprintFixtures {
		t.Run(fx.name, func(t *testing.T) {
			hr := parseFixture(t, fx.raw)
			fp, _ := matchProxy(hr)
			matched := fp.ID != ""
			if fp.Possible != nil {
				seen[fp.Possible.ID] = true
			}
			if matched != (fx.product != "") {
				t.Fatalf("matched %q (%+v), want product %q", fp.ID, fp, fx.product)
			}
			if fw := fp.Forwarded; (fw == nil && fx.forwardedBy != "") || (fw != nil && fw.Product != fx.forwardedBy) {
				t.Errorf("forwarded by %+v, want %q", fw, fx.forwardedBy)
			}
			if matched {
				seen[fp.ID] = true
				if fp.Product != fx.product || fp.Code != fx.code {
					t.Errorf("matched %s: product %q code %s, want %q %s", fp.ID, fp.Product, fp.Code, fx.product, fx.code)
				}
			}
			u := diagnoseHTTP(hr)
			if len(u.Findings) != 1 {
				t.Fatalf("findings %v, want exactly one", codes(u.Findings))
			}
			f := u.Findings[0]
			if f.Code != fx.code || f.Severity != report.Fail || f.Layer != "http" || f.Target != "10.0.0.7:80" {
				t.Errorf("finding %s/%s/%s %q, want %s/fail/http", f.Code, f.Severity, f.Layer, f.Target, fx.code)
			}
			if fx.product != "" {
				if f.Evidence["product"] != fx.product {
					t.Errorf("evidence product %v, want %q", f.Evidence["product"], fx.product)
				}
				mustContain(t, "message", f.Message, strconv.Itoa(hr.StatusCode)+" ", "from "+fx.product+" at 10.0.0.7:80")
				if !strings.Contains(strings.Join(f.Remediation, "\n"), fx.product+"'s") {
					t.Errorf("remediation does not name %s:\n%s", fx.product, strings.Join(f.Remediation, "\n"))
				}
			} else if _, ok := f.Evidence["product"]; ok {
				t.Errorf("a service's own answer names a product: %v", f.Evidence)
			}
			if fx.forwardedBy != "" {
				if f.Evidence["forwarded_by"] != fx.forwardedBy {
					t.Errorf("evidence forwarded_by %v, want %q", f.Evidence["forwarded_by"], fx.forwardedBy)
				}
				mustContain(t, "message", f.Message, "forwarded by "+fx.forwardedBy+" ")
			} else if _, ok := f.Evidence["forwarded_by"]; ok {
				t.Errorf("no proxy forwarded it, but evidence %v", f.Evidence)
			}
			if fx.maybe != "" {
				if f.Evidence["maybe_product"] != fx.maybe || fp.Possible == nil {
					t.Errorf("evidence maybe_product %v, want %q", f.Evidence["maybe_product"], fx.maybe)
				}
				mustContain(t, "message", f.Message, "either may have answered", strconv.Quote(bodyQuote(hr.Body)))
			} else if _, ok := f.Evidence["maybe_product"]; ok {
				t.Errorf("evidence %v names a possible product", f.Evidence)
			}
			if fx.passedOnBy != "" {
				if f.Evidence["passed_on_by"] != fx.passedOnBy {
					t.Errorf("evidence passed_on_by %v, want %q", f.Evidence["passed_on_by"], fx.passedOnBy)
				}
				mustContain(t, "message", f.Message, "passed on by "+fx.passedOnBy)
				if hr.StatusCode != 503 && hr.StatusCode != 404 {
					mustContain(t, "message", f.Message, "the service behind it answered this itself")
				}
				if strings.Contains(f.Message, "no valid answer") || strings.Contains(f.Message, "did not answer in time") {
					t.Errorf("a passed-on answer blamed on the proxy: %s", f.Message)
				}
			} else if _, ok := f.Evidence["passed_on_by"]; ok {
				t.Errorf("no product on the path, but evidence %v", f.Evidence)
			}
			t.Logf("%s", f.Message)
		})
	}
	// Every row of the table has a fixture, except the header-only rows
	// that a body row for the same product shadows in the fixtures above.
	for _, r := range fingerprintTable {
		if !seen[r.ID] && r.ID != "nginx.page" && r.ID != "kong.invalid_response" && r.ID != "kong.upstream_timeout" {
			t.Errorf("fingerprint %s has no fixture", r.ID)
		}
	}
}

func TestFingerprintMessages(t *testing.T) {
	u := diagnoseHTTP(parseFixture(t, fingerprintFixtures[0].raw))
	f := u.Findings[0]
	mustContain(t, "message", f.Message, `503 "no healthy upstream" from Envoy at 10.0.0.7:80 (GET http://api.example.com/health): no healthy upstream`)
	mustContain(t, "remediation", strings.Join(f.Remediation, "\n"), "curl -s localhost:15000/clusters | grep health_flags")
	if f.Evidence["fingerprint"] != "envoy.no_healthy_upstream" || f.Evidence["server"] != "envoy" {
		t.Errorf("evidence %v", f.Evidence)
	}

	u = diagnoseHTTP(parseFixture(t, "HTTP/1.1 404 Not Found\r\nserver: envoy\r\ncontent-length: 0\r\n\r\n"))
	mustContain(t, "message", u.Findings[0].Message, "404 Not Found (empty body) from Envoy", "no route matches")

	u = diagnoseHTTP(parseFixture(t, fingerprintFixtures[5].raw)) // haproxy 503
	mustContain(t, "message", u.Findings[0].Message, `503 "503 Service Unavailable" from HAProxy`)
	mustContain(t, "remediation", strings.Join(u.Findings[0].Remediation, "\n"), `echo 'show servers state' | socat stdio /run/haproxy.sock`)

	hr := parseFixture(t, "HTTP/1.1 504 Gateway Time-out\r\nServer: awselb/2.0\r\nContent-Length: 0\r\n\r\n")
	hr.Timings.Total = 60 * time.Second
	u = diagnoseHTTP(hr)
	mustContain(t, "message", u.Findings[0].Message, "from AWS ALB", "after 60.0s")
}

// An expected status is never judged by the fingerprints.
func TestFingerprintsOnlyForUnexpectedStatus(t *testing.T) {
	up := node("api", "http://api.example.com/health")
	up.Expect.Status = []graph.StatusRange{{Lo: 503, Hi: 503}}
	tg := okTarget("10.0.0.7:80")
	tg.HTTP = parseFixture(t, fingerprintFixtures[0].raw)
	rep := run(graphOf(up), probe.Result{Upstream: "api", Targets: []probe.TargetResult{tg}})
	if fs := rep.Upstreams[0].Findings; len(fs) != 0 {
		t.Errorf("expected 503 gave %v", codes(fs))
	}
}

// Case 15 of issue 9: Envoy's circuit breaker refuses locally. The finding
// is gateway.overloaded, and the quoted body holds its decisive words.
func TestEnvoyCircuitBreakerIsOverloaded(t *testing.T) {
	u := diagnoseHTTP(parseFixture(t, fingerprintFixtures[slicesIndex(t, "envoy 503 circuit breaker overflow")].raw))
	f := u.Findings[0]
	if f.Code != catalog.GatewayOverloaded || f.Severity != report.Fail || f.Layer != "http" {
		t.Fatalf("finding %s/%s/%s", f.Code, f.Severity, f.Layer)
	}
	mustContain(t, "message", f.Message,
		`503 "upstream connect error or disconnect/reset before headers. reset reason: overflow" from Envoy at 10.0.0.7:80`,
		"circuit breaker", "may be healthy")
	if f.Evidence["x_envoy_overloaded"] != "true" || f.Evidence["fingerprint"] != "envoy.overloaded" {
		t.Errorf("evidence %v", f.Evidence)
	}
	mustContain(t, "remediation", strings.Join(f.Remediation, "\n"), "upstream_rq_pending_overflow", "Envoy's limits")
}

func slicesIndex(t *testing.T, name string) int {
	t.Helper()
	for i, fx := range fingerprintFixtures {
		if fx.name == name {
			return i
		}
	}
	t.Fatalf("no fixture %q", name)
	return -1
}

// A quote keeps the decisive words of a long one-line answer: its start
// and its end.
func TestBodyQuoteKeepsTheDecisiveWords(t *testing.T) {
	long := "upstream connect error or disconnect/reset before headers. retried and the latest reset reason: remote connection failure, " +
		"transport failure reason: TLS_error:|268435581:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED:TLS_error_end"
	q := bodyQuote([]byte(long))
	mustContain(t, "quote", q, "upstream connect error or disconnect/reset before headers.", " … ", "CERTIFICATE_VERIFY_FAILED:TLS_error_end")
	if len(q) > quoteMax+len(" … ") {
		t.Errorf("quote of %d bytes: %q", len(q), q)
	}
	if q := bodyQuote([]byte(envoyOverflow)); q != envoyOverflow {
		t.Errorf("quote %q cuts the 81-byte overflow body", q)
	}
	if q := bodyQuote([]byte(strings.Repeat("é", 300))); !utf8.ValidString(q) {
		t.Errorf("invalid UTF-8 in %q", q)
	}
}

// QA finding 12: an HTML page is quoted by its title, else its first
// heading, else its text — never "<html>" — in every http/gateway finding.
func TestBodyQuoteOfHTMLHoldsTheDecisiveWords(t *testing.T) {
	// nginx's answer to plain HTTP on its TLS port (ngx_http_error_497_page).
	nginx400 := "<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n<body>\r\n" +
		"<center><h1>400 Bad Request</h1></center>\r\n<center>The plain HTTP request was sent to HTTPS port</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
	for body, want := range map[string]string{
		nginx400: "400 The plain HTTP request was sent to HTTPS port",
		"<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n": "503 Service Unavailable",
		"<!DOCTYPE html>\n<html><head><title lang=\"en\">\n  Down for maintenance\n</title></head></html>":               "Down for maintenance",
		"<html><head><style>p{color:red}</style></head><body><p>database <b>unreachable</b></p></body></html>":           "database unreachable",
	} {
		if got := bodyQuote([]byte(body)); got != want {
			t.Errorf("quote %q, want %q", got, want)
		}
	}
	hr := parseFixture(t, withLen("HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nContent-Type: text/html\r\n", nginx400))
	if got := tlsAnswer(hr); got != `a 400 page ("400 The plain HTTP request was sent to HTTPS port")` {
		t.Errorf("tlsAnswer %q", got)
	}
	f := diagnoseHTTP(parseFixture(t, withLen("HTTP/1.1 502 Bad Gateway\r\nServer: nginx\r\nContent-Type: text/html\r\n",
		"<html><head><title>Payment provider returned garbage</title></head><body>…</body></html>"))).Findings[0]
	mustContain(t, "message", f.Message, `502 Bad Gateway ("Payment provider returned garbage") from`, `the body is not nginx's stock error page`)
}

// QA finding 4: nginx's stock 503 and HAProxy's "No server is available"
// are also what their own limits answer while the backends are healthy:
// the message says both, with the time the answer took, and the first step
// checks the proxy's limits.
func TestProxy503SaysLimitOrNoUpstream(t *testing.T) {
	for _, tc := range []struct {
		fixture string
		took    time.Duration
		words   []string
		step    string
	}{
		{"nginx 503 (ingress-nginx, no endpoints)", 2 * time.Millisecond, []string{"limit_req and limit_conn", "without ready endpoints", "after 2.0ms"}, "nginx -T | grep -n -E 'limit_req|limit_conn|max_conns|queue'"},
		{"haproxy 503", 1010 * time.Millisecond, []string{"timeout queue", "maxconn", "after 1.01s"}, "qcur/qmax"},
	} {
		hr := parseFixture(t, fingerprintFixtures[slicesIndex(t, tc.fixture)].raw)
		hr.Timings.Total = tc.took
		f := diagnoseHTTP(hr).Findings[0]
		if f.Code != catalog.GatewayNoHealthyUpstream {
			t.Errorf("%s: %s", tc.fixture, f.Code)
		}
		mustContain(t, "message", f.Message, tc.words...)
		if len(f.Remediation) == 0 || !strings.Contains(f.Remediation[0], "own limits") || !strings.Contains(f.Remediation[0], tc.step) {
			t.Errorf("%s: first step %q", tc.fixture, f.Remediation)
		}
	}
}
