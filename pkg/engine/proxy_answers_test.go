package engine_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/updoc/updoc/pkg/report"
)

// envoyLike serves, on 127.0.0.1, what an Envoy in front of the service
// answers: status, headers (as Envoy writes them) and body.
func envoyLike(t *testing.T, status int, headers map[string]string, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range headers {
			w.Header().Set(k, v)
		}
		w.Header().Set("server", "envoy")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv.Listener.Addr().String()
}

// Case 14 of issue 9: the app behind Envoy answers 502 itself; Envoy
// forwards it with x-envoy-upstream-service-time. The finding is the
// service's own server error, and names Envoy as the proxy that forwarded
// it — not "Envoy got no valid answer".
func TestEnvoyForwardedTheServices502(t *testing.T) {
	addr := envoyLike(t, http.StatusBadGateway, map[string]string{
		"content-type": "text/plain", "x-envoy-upstream-service-time": "12",
	}, "payment provider rejected the call\n")
	u := diagnoseOne(t, e2eOpts(t), e2eUpstream(t, "http://"+addr+"/pay"))
	f := onlyFinding(t, u, "")
	if f.Code != "http.server_error" || f.Severity != report.Fail || f.Layer != "http" || f.Target != addr {
		t.Fatalf("finding %s/%s/%s target %q", f.Code, f.Severity, f.Layer, f.Target)
	}
	for _, want := range []string{`502 Bad Gateway ("payment provider rejected the call") from ` + addr, "forwarded by Envoy (x-envoy-upstream-service-time: 12)", "the service behind it answered this itself"} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("message %q lacks %q", f.Message, want)
		}
	}
	if strings.Contains(f.Message, "no valid answer") || f.Evidence["forwarded_by"] != "Envoy" {
		t.Errorf("message %q evidence %v", f.Message, f.Evidence)
	}
}

// Case 15 of issue 9: Envoy's circuit breaker refuses locally with
// x-envoy-overloaded and reset reason overflow: gateway.overloaded, the
// quote whole.
func TestEnvoyCircuitBreakerOverflow(t *testing.T) {
	const overflow = "upstream connect error or disconnect/reset before headers. reset reason: overflow"
	addr := envoyLike(t, http.StatusServiceUnavailable, map[string]string{
		"content-type": "text/plain", "x-envoy-overloaded": "true",
	}, overflow)
	u := diagnoseOne(t, e2eOpts(t), e2eUpstream(t, "http://"+addr+"/orders"))
	f := onlyFinding(t, u, "")
	if f.Code != "gateway.overloaded" || f.Severity != report.Fail || f.Layer != "http" || f.Target != addr {
		t.Fatalf("finding %s/%s/%s target %q", f.Code, f.Severity, f.Layer, f.Target)
	}
	for _, want := range []string{`503 "` + overflow + `" from Envoy at ` + addr, "circuit breaker", "may be healthy"} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("message %q lacks %q", f.Message, want)
		}
	}
	if strings.Contains(f.Message, "connect failure") || strings.Contains(f.Message, "no healthy upstream") {
		t.Errorf("message %q reads as a connect failure", f.Message)
	}
}

// nginxLike serves, on 127.0.0.1, what nginx in front of a service
// answers: its Server header on every answer, and the body given — the
// backend's passed through, or nginx's stock page.
func nginxLike(t *testing.T, status int, contentType, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", "nginx/1.22.1")
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv.Listener.Addr().String()
}

// QA finding 3: nginx passes the app's own 502/504 (JSON bodies) through
// under its Server header. They are the service's own server errors,
// passed on by nginx — while nginx's stock page is still nginx's own 502.
func TestNginxPassedOnTheServices502And504(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
	}{
		{http.StatusBadGateway, `{"error":"payment provider returned garbage"}`},
		{http.StatusGatewayTimeout, `{"error":"upstream bank timed out"}`},
	} {
		addr := nginxLike(t, tc.status, "application/json", tc.body)
		u := diagnoseOne(t, e2eOpts(t), e2eUpstream(t, "http://"+addr+"/pay"))
		f := onlyFinding(t, u, "")
		if f.Code != "http.server_error" || f.Severity != report.Fail || f.Layer != "http" || f.Target != addr || f.Evidence["passed_on_by"] != "nginx" {
			t.Fatalf("%d: finding %s/%s/%s target %q evidence %v", tc.status, f.Code, f.Severity, f.Layer, f.Target, f.Evidence)
		}
		for _, want := range []string{"passed on by nginx", "the service behind it answered this itself"} {
			if !strings.Contains(f.Message, want) {
				t.Errorf("message %q lacks %q", f.Message, want)
			}
		}
		if strings.Contains(f.Message, "no valid answer") || strings.Contains(f.Message, "did not answer in time") {
			t.Errorf("the service's own answer blamed on nginx: %q", f.Message)
		}
	}
	page := "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n"
	addr := nginxLike(t, http.StatusBadGateway, "text/html", page)
	f := onlyFinding(t, diagnoseOne(t, e2eOpts(t), e2eUpstream(t, "http://"+addr+"/pay")), "")
	if f.Code != "gateway.bad_gateway" || f.Evidence["product"] != "nginx" {
		t.Errorf("nginx's own page: %s %v", f.Code, f.Evidence)
	}
}
