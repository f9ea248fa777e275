package cli

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/report"
)

// TestFlagsBeatTheGraphFile runs `updoc check` on a loopback server: the
// file sets timeout and samples; --timeout and --samples given on the
// command line beat them, and without the flags the file's values stay.
func TestFlagsBeatTheGraphFile(t *testing.T) {
	const stall = time.Second
	var fastRequests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/fast" {
			fastRequests.Add(1)
		}
		if r.URL.Path == "/slow" {
			select {
			case <-time.After(stall):
			case <-r.Context().Done():
			}
		}
		fmt.Fprintln(w, "ok")
	}))
	t.Cleanup(srv.Close)
	file := writeFile(t, "updoc.yaml", fmt.Sprintf(`version: 1
defaults: {timeout: 3s}
upstreams:
  slow: {url: "%[1]s/slow", samples: 0}
  fast: {url: "%[1]s/fast", samples: 2}
`, srv.URL))

	check := func(args ...string) report.Report {
		t.Helper()
		r := run(t, context.Background(), nil, "", append([]string{"check", "-f", file, "-o", "json"}, args...)...)
		if r.code != ExitOK && r.code != ExitUnhealthy {
			t.Fatalf("%v: exit %d: %s", args, r.code, r.stderr)
		}
		return decodeReport(t, r.stdout)
	}
	// The samples fast took: the requests it got after the http layer's.
	samples := func() int { return int(fastRequests.Swap(0)) - 1 }
	codesOf := func(rep report.Report, name string) []string {
		var out []string
		for _, u := range rep.Upstreams {
			if u.Name == name {
				for _, f := range u.Findings {
					out = append(out, f.Code)
				}
			}
		}
		return out
	}

	fileOnly := check()
	if got := samples(); got != 2 {
		t.Errorf("no flags: fast took %d samples, want the file's 2", got)
	}
	if codes := codesOf(fileOnly, "slow"); slices.Contains(codes, "http.timeout") {
		t.Errorf("no flags: slow has %v; the file's 3s timeout outlasts a %v answer", codes, stall)
	}

	flags := check("--timeout", "300ms", "--samples", "3")
	if got := samples(); got != 3 {
		t.Errorf("--samples 3: fast took %d samples, want 3 (the flag beats the file's 2)", got)
	}
	if codes := codesOf(flags, "slow"); !slices.Contains(codes, "http.timeout") {
		t.Errorf("--timeout 300ms: slow has %v, want http.timeout (the flag beats the file's 3s)", codes)
	}
}
