package engine_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Issue 10: every http.* and gateway.* finding quotes the start of the
// body — the words that name the reason — in its message and as evidence
// "body", stripped of control characters; an empty body says so.
func TestEveryHTTPFindingQuotesTheBody(t *testing.T) {
	stop := make(chan struct{})
	mux := http.NewServeMux()
	answer := func(path string, status int, body string) {
		mux.HandleFunc(path, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
		})
	}
	answer("/pool", 500, "database pool exhausted")
	answer("/maint", 503, "down for maintenance, back soon")
	answer("/auth", 401, "token expired at 03:12")
	answer("/limit", 429, "quota of 100 requests per minute used up")
	answer("/gone", 404, "no such tenant: acme")
	answer("/bad", 502, "upstream payments answered garbage")
	answer("/slow", 504, "payments did not answer in 30s")
	answer("/empty", 500, "")
	answer("/ansi", 500, "\x1b[31mdisk\x00 full\x07\u202e on /var\x1b[0m")
	mux.HandleFunc("/stall", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(200)
		_, _ = io.WriteString(w, `{"status":"migrating`)
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(stop) })

	for _, tc := range []struct {
		path, code string
		message    string // the decisive words, as the message holds them
		body       string // evidence "body"
	}{
		{"/pool", "http.server_error", `500 Internal Server Error ("database pool exhausted") from `, "database pool exhausted"},
		{"/maint", "http.unavailable", `503 Service Unavailable ("down for maintenance, back soon") from `, "down for maintenance, back soon"},
		{"/auth", "http.auth_failed", `401 Unauthorized ("token expired at 03:12") from `, "token expired at 03:12"},
		{"/limit", "http.rate_limited", `429 Too Many Requests ("quota of 100 requests per minute used up") from `, "quota of 100 requests per minute used up"},
		{"/gone", "http.unexpected_status", `404 Not Found ("no such tenant: acme") from `, "no such tenant: acme"},
		{"/bad", "gateway.bad_gateway", `502 Bad Gateway ("upstream payments answered garbage") from `, "upstream payments answered garbage"},
		{"/slow", "gateway.timeout", `504 Gateway Timeout ("payments did not answer in 30s") from `, "payments did not answer in 30s"},
		{"/empty", "http.server_error", `500 Internal Server Error (empty body) from `, ""},
		{"/ansi", "http.server_error", `500 Internal Server Error ("disk full on /var") from `, "disk full on /var"},
		{"/stall", "http.timeout", `but the body stalled: 20 bytes read ("{\"status\":\"migrating"), not finished`, `{"status":"migrating`},
	} {
		t.Run(strings.TrimPrefix(tc.path, "/"), func(t *testing.T) {
			u := e2eUpstream(t, srv.URL+tc.path)
			u.Timeout = 300 * time.Millisecond
			f := onlyFinding(t, diagnoseOne(t, e2eOpts(t), u), tc.code)
			if !strings.Contains(f.Message, tc.message) {
				t.Errorf("message %q lacks %q", f.Message, tc.message)
			}
			if got, ok := f.Evidence["body"]; !ok || got != tc.body {
				t.Errorf("evidence body %q (present: %v), want %q", got, ok, tc.body)
			}
		})
	}
}

// Issue 10: http.body_mismatch says what the body did contain — its quote
// in the message and as evidence "body" —, for body_contains and
// body_regex alike.
func TestBodyMismatchSaysWhatTheBodyContained(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/json", func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "{\n  \"status\": \"DOWN\",\n  \"db\": \"connection timeout\"\n}\n")
	})
	mux.HandleFunc("/empty", func(http.ResponseWriter, *http.Request) {})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	for _, tc := range []struct {
		name, path, expect string
		message            []string
		body               string
	}{
		{"body_contains", "/json", `{body_contains: '"status": "UP"'}`,
			[]string{`but the body does not contain "\"status\": \"UP\"": it says "{ \"status\": \"DOWN\", \"db\": \"connection timeout\" }"`},
			`{ "status": "DOWN", "db": "connection timeout" }`},
		{"body_regex", "/json", `{body_regex: 'UP|OK'}`,
			[]string{`but the body does not match /UP|OK/: it says "{ \"status\": \"DOWN\"`},
			`{ "status": "DOWN", "db": "connection timeout" }`},
		{"empty", "/empty", `{body_contains: ok}`,
			[]string{`but the body does not contain "ok": it is empty`}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := "version: 1\nupstreams:\n  svc:\n    url: " + srv.URL + tc.path + "\n    samples: 0\n    timeout: 500ms\n    expect: " + tc.expect + "\n"
			f := onlyFindingOf(t, runFile(t, e2eOpts(t), file, nil), "svc")
			wantFinding(t, f, "http.body_mismatch", "fail", "http", srv.Listener.Addr().String(), tc.message...)
			if got, ok := f.Evidence["body"]; !ok || got != tc.body {
				t.Errorf("evidence body %q (present: %v), want %q", got, ok, tc.body)
			}
		})
	}
}
