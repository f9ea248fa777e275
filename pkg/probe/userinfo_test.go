package probe

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/updoc/updoc/pkg/graph"
)

// TestURLUserinfoSentAsBasicAuth: a url's user:password goes as
// "Authorization: Basic" (RFC 7617), as curl sends it, on the first
// request, on a redirect to the same host and on every latency sample; not
// to another host a redirect leads to; and an Authorization header of the
// upstream's own beats it.
func TestURLUserinfoSentAsBasicAuth(t *testing.T) {
	var mu sync.Mutex
	seen := map[string][]string{}
	record := func(tag string, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		seen[tag+r.URL.Path] = append(seen[tag+r.URL.Path], r.Header.Get("Authorization"))
	}
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { record("other", r) }))
	t.Cleanup(other.Close)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		record("", r)
		switch r.URL.Path {
		case "/start":
			http.Redirect(w, r, "/end", http.StatusFound)
		case "/away":
			http.Redirect(w, r, other.URL+"/there", http.StatusFound)
		}
	}))
	t.Cleanup(srv.Close)
	withUser := func(path string) string {
		return strings.Replace(srv.URL, "http://", "http://alice:s3cr%40t@", 1) + path
	}
	const basic = "Basic YWxpY2U6czNjckB0" // alice:s3cr@t

	runOne(t, testOpts(t), upstream(t, "svc", withUser("/start"), withSamples(2)))
	runOne(t, testOpts(t), upstream(t, "away", withUser("/away")))
	runOne(t, testOpts(t), upstream(t, "own", withUser("/own"), func(u *graph.Upstream) {
		u.Headers = []graph.Header{{Name: "authorization", Value: "Bearer mine", Secret: true}}
	}))
	mu.Lock()
	defer mu.Unlock()
	for path, want := range map[string][]string{
		"/start":      {basic, basic, basic}, // the request and 2 samples
		"/end":        {basic},               // the same host
		"/away":       {basic},
		"other/there": {""}, // another host
		"/own":        {"Bearer mine"},
	} {
		if got := seen[path]; strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s was sent Authorization %q, want %q", path, got, want)
		}
	}
}
