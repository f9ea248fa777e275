package graph

import "testing"

// QA finding 6: the graph fills in the default port for dialing, and the
// URL updoc shows is what the user wrote — no :80 or :443 added.
func TestShownURLKeepsWhatTheUserWrote(t *testing.T) {
	tests := []struct{ written, dialPort string }{
		{"http://svc.test/health", "80"},
		{"https://svc.test/health?x=1", "443"},
		{"http://svc.test:8080/health", "8080"},
		{"https://[2001:db8::1]/health", "443"},
	}
	for _, tc := range tests {
		g := mustLoad(t, "version: 1\nupstreams:\n  svc:\n    url: "+tc.written+"\n", nil)
		u := g.Upstreams[0]
		if u.URL.Port() != tc.dialPort {
			t.Errorf("%s: dial port %q, want %q", tc.written, u.URL.Port(), tc.dialPort)
		}
		if got := ShownURL(u.URL).String(); got != tc.written {
			t.Errorf("shown URL %q, want %q as written", got, tc.written)
		}
	}
}
