package probe

import (
	"bufio"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// QA finding 6: the request names its host as curl does — `Host: svc.test`,
// without the default port the graph filled in for dialing (:80 for http,
// :443 for https) — and keeps any other port; a redirect's host too.
func TestRequestHostLeavesOutTheDefaultPort(t *testing.T) {
	for _, tc := range []struct{ url, next, host string }{
		{"http://svc.test:80/health", "", "svc.test"},
		{"https://svc.test:443/health", "", "svc.test"},
		{"http://svc.test:8080/health", "", "svc.test:8080"},
		{"https://svc.test:80/health", "", "svc.test:80"},
		{"http://[::1]:80/health", "", "[::1]"},
		{"http://svc.test:80/health", "https://other.test/next", "other.test"},
	} {
		u := upstream(t, "svc", tc.url)
		p := newPlan(u, &env{})
		target := u.URL
		if tc.next != "" {
			next, err := url.Parse(tc.next)
			if err != nil {
				t.Fatal(err)
			}
			target = next
		}
		req, err := p.newRequest(context.Background(), http.MethodGet, target, "")
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		w := bufio.NewWriter(&b)
		if err := req.Write(w); err != nil {
			t.Fatal(err)
		}
		_ = w.Flush()
		if !strings.Contains(b.String(), "\r\nHost: "+tc.host+"\r\n") {
			t.Errorf("%s %s: request\n%s\nwant Host: %s", tc.url, tc.next, b.String(), tc.host)
		}
	}
}
