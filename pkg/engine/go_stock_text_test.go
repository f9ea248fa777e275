package engine_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// QA finding 10: a plain Go service's stock answers — its ServeMux's
// "404 page not found", a bare http.StatusText(503) — are what Traefik
// writes too. updoc judges them by the plain status rules, says either may
// have answered, and gives the step that tells them apart; it never says
// "from Traefik".
func TestGoStockTextIsNotTakenForTraefik(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/busy", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, http.StatusText(http.StatusServiceUnavailable))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	addr := srv.Listener.Addr().String()

	for _, tc := range []struct {
		path, code, quote, step string
	}{
		{"/missing", "http.unexpected_status", `"404 page not found"`, "no router matches the host and path"},
		{"/busy", "http.unavailable", `"Service Unavailable"`, "Traefik's CircuitBreaker middleware answers while open"},
	} {
		f := onlyFinding(t, diagnoseOne(t, e2eOpts(t), e2eUpstream(t, "http://"+addr+tc.path)), "")
		if f.Code != tc.code || f.Target != addr || f.Evidence["maybe_product"] != "Traefik" || f.Evidence["product"] != nil {
			t.Fatalf("%s: %s target %q evidence %v", tc.path, f.Code, f.Target, f.Evidence)
		}
		if !strings.Contains(f.Message, "("+tc.quote+") from ") || !strings.Contains(f.Message, ": the body is the text ") || !strings.Contains(f.Message, "either may have answered") || strings.Contains(f.Message, "from Traefik") {
			t.Errorf("%s: message %q", tc.path, f.Message)
		}
		steps := strings.Join(f.Remediation, "\n")
		for _, want := range []string{tc.step, "updoc probe http://BACKEND_IP:PORT" + tc.path, "curl -s localhost:8080/api/http/"} {
			if !strings.Contains(steps, want) {
				t.Errorf("%s: steps lack %q:\n%s", tc.path, want, steps)
			}
		}
	}
}
