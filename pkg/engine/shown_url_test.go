package engine_test

import (
	"strings"
	"testing"
)

// QA finding 6: an url written without a port is reported as written — in
// the report's url, the messages and the steps — not with the :80 the
// graph filled in for dialing.
func TestReportedURLHasNoDefaultPort(t *testing.T) {
	file := "version: 1\nupstreams:\n  svc:\n    url: http://ghost.svc.test/health\n    samples: 0\n    timeout: 300ms\n"
	rep := runFile(t, e2eOpts(t), file, nil)
	u := rep.Upstream("svc")
	if u == nil || len(u.Findings) == 0 {
		t.Fatalf("no finding for svc: %+v", rep)
	}
	if u.URL != "http://ghost.svc.test/health" {
		t.Errorf("url %q, want http://ghost.svc.test/health as written", u.URL)
	}
	for _, f := range u.Findings {
		for _, text := range append([]string{f.Message}, f.Remediation...) {
			if strings.Contains(text, "ghost.svc.test:80") {
				t.Errorf("%s: %q shows the default port", f.Code, text)
			}
		}
	}
}
