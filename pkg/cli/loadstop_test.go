package cli

import (
	"context"
	"strings"
	"testing"
	"time"
)

// Ctrl-C while the graph file loads exits 130 at once, saying so, with no
// report; a deadline that ends while it loads is an exit-2 error naming
// --deadline.
func TestInterruptWhileLoading(t *testing.T) {
	graphFile := writeFile(t, "g.yaml", "version: 1\nupstreams:\n  api: {url: \"http://127.0.0.1:1/\"}\n")
	interrupted, cancel := context.WithCancel(context.Background())
	cancel()
	for _, cmd := range []string{"check", "validate", "graph"} {
		r := run(t, interrupted, nil, "", cmd, "-f", graphFile)
		if r.code != ExitInterrupted || r.stdout != "" || !strings.Contains(r.stderr, "interrupted while loading the graph file "+graphFile) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want 130 and the interruption named", cmd, r.code, r.stdout, r.stderr)
		}
	}
	expired, stop := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer stop()
	r := run(t, expired, nil, "", "check", "--deadline", "5s", "-f", graphFile)
	if r.code != ExitInvalid || r.stdout != "" || !strings.Contains(r.stderr, "the graph file "+graphFile+" did not load within --deadline 5s") {
		t.Errorf("check: exit %d, stdout %q, stderr %q; want 2 and --deadline named", r.code, r.stdout, r.stderr)
	}
}
