package diagnose

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

// SPEC §4: a proxy that signals the answer came from its backend only
// forwarded it — the status is the service's own, judged by the plain
// status rules (a forwarded 502 or 504 is the service's server error), and
// the evidence names the proxy. Every status × every forwarding signal of
// the table.
func TestForwardedAnswersAreTheServicesOwn(t *testing.T) {
	signals := []struct {
		product string
		headers map[string]string
	}{
		{"Envoy", map[string]string{"server": "envoy", "x-envoy-upstream-service-time": "12"}},
		{"Envoy", map[string]string{"server": "istio-envoy", "x-envoy-upstream-service-time": "12", "x-envoy-decorator-operation": "svc"}},
		{"Kong", map[string]string{"X-Kong-Upstream-Latency": "26", "X-Kong-Proxy-Latency": "1"}},
		{"Kong", map[string]string{"Via": "kong/3.4.0", "Server": "gunicorn"}},
		{"Caddy", map[string]string{"Via": "1.1 Caddy"}},
		{"Linkerd", map[string]string{"l5d-success-class": "0.0", "Via": "1.1 linkerd"}},
	}
	statuses := map[int]string{
		500: catalog.HTTPServerError, 501: catalog.HTTPServerError, 502: catalog.HTTPServerError,
		503: catalog.HTTPUnavailable, 504: catalog.HTTPServerError, 520: catalog.HTTPServerError,
		404: catalog.HTTPUnexpectedStatus, 401: catalog.HTTPAuthFailed, 429: catalog.HTTPRateLimited,
	}
	for _, sg := range signals {
		for status, want := range statuses {
			t.Run(sg.product+"/"+strconv.Itoa(status), func(t *testing.T) {
				h := http.Header{}
				for k, v := range sg.headers {
					h.Set(k, v)
				}
				for _, body := range []string{"", "the service's own words"} {
					hr := &probe.HTTPResult{Method: "GET", URL: "http://api.example.com/health", StatusCode: status,
						Header: h, Body: []byte(body)}
					u := diagnoseHTTP(hr)
					if len(u.Findings) != 1 {
						t.Fatalf("findings %v", codes(u.Findings))
					}
					f := u.Findings[0]
					if f.Code != want || f.Severity != report.Fail || f.Layer != "http" || f.Target != "10.0.0.7:80" {
						t.Errorf("body %q: %s/%s/%s %q, want %s/fail/http", body, f.Code, f.Severity, f.Layer, f.Target, want)
					}
					if f.Evidence["forwarded_by"] != sg.product || f.Evidence["product"] != nil {
						t.Errorf("body %q: evidence %v, want forwarded_by %s and no product", body, f.Evidence, sg.product)
					}
					mustContain(t, "message", f.Message, strconv.Itoa(status), "from 10.0.0.7:80", "forwarded by "+sg.product+" (")
				}
			})
		}
	}
}

// Case 14 of issue 9: the app behind Envoy answers 502 itself and Envoy
// forwards it with x-envoy-upstream-service-time.
func TestEnvoyForwardedA502(t *testing.T) {
	u := diagnoseHTTP(parseFixture(t, withLen("HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\nx-envoy-upstream-service-time: 12\r\nserver: envoy\r\n", "payment provider rejected the call\n")))
	f := u.Findings[0]
	if f.Code != catalog.HTTPServerError {
		t.Fatalf("code %s, want http.server_error", f.Code)
	}
	mustContain(t, "message", f.Message,
		`502 Bad Gateway ("payment provider rejected the call") from 10.0.0.7:80 for GET http://api.example.com/health (server: envoy), forwarded by Envoy (x-envoy-upstream-service-time: 12): the service behind it answered this itself`)
	if f.Evidence["forwarding_signal"] != "x-envoy-upstream-service-time: 12" {
		t.Errorf("evidence %v", f.Evidence)
	}
}

// QA finding 3: a HEAD answer has no body to tell nginx's own 502 from its
// backend's, so it stays a gateway cause and the message says why.
func TestPassedOnHEADCannotTell(t *testing.T) {
	hr := parseFixture(t, "HTTP/1.1 502 Bad Gateway\r\nServer: nginx\r\nContent-Length: 0\r\n\r\n")
	hr.Method = http.MethodHead
	f := diagnoseHTTP(hr).Findings[0]
	if f.Code != catalog.GatewayBadGateway || f.Evidence["passed_on_by"] != "nginx" {
		t.Fatalf("%s %v", f.Code, f.Evidence)
	}
	mustContain(t, "message", f.Message, "(server: nginx), passed through nginx: a HEAD answer has no body", "set method: GET")
}
