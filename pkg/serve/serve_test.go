package serve

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/updoc/updoc/pkg/engine"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/report"
)

// eventually polls cond until it holds; the test fails if it does not
// within a minute (a bound against hanging, not a timing assertion).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting after a minute for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// gatedServer answers 200 on 127.0.0.1, each request only once open is
// closed; it counts the requests in flight and their most at once.
type gatedServer struct {
	addr          string
	open          chan struct{}
	inFlight, max atomic.Int32
}

func startGated(t *testing.T) *gatedServer {
	t.Helper()
	g := &gatedServer{open: make(chan struct{})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := g.inFlight.Add(1)
		defer g.inFlight.Add(-1)
		for {
			m := g.max.Load()
			if n <= m || g.max.CompareAndSwap(m, n) {
				break
			}
		}
		select {
		case <-g.open:
		case <-r.Context().Done():
		}
		_, _ = w.Write([]byte("ok"))
	}), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	g.addr = ln.Addr().String()
	return g
}

func writeGraph(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

func fileLoader(path string) func() (*graph.Graph, error) {
	return func() (*graph.Graph, error) {
		return graph.LoadFile(context.Background(), path, nil, func(string) (string, bool) { return "", false })
	}
}

// TestRoundsNeverOverlap: an upstream slower than the interval makes the
// ticks that find the round still running count as skipped, and there is
// never more than one round at a time.
func TestRoundsNeverOverlap(t *testing.T) {
	slow := startGated(t)
	path := filepath.Join(t.TempDir(), "updoc.yaml")
	writeGraph(t, path, fmt.Sprintf(`version: 1
upstreams:
  slow: {url: "http://%s/", samples: 0, timeout: 1h}
`, slow.addr))
	var inRound, maxRounds, started atomic.Int32
	count := func(ctx context.Context, g *graph.Graph, opts engine.Options, observe engine.Observer) report.Report {
		n := inRound.Add(1)
		defer inRound.Add(-1)
		started.Add(1)
		for {
			m := maxRounds.Load()
			if n <= m || maxRounds.CompareAndSwap(m, n) {
				break
			}
		}
		return engine.Run(ctx, g, opts, observe)
	}
	s, logs := newServer(t, Options{Load: fileLoader(path), Engine: count, Interval: 10 * time.Millisecond,
		Run: engine.Options{Deadline: time.Hour}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		s.Run(ctx)
		close(done)
	}()
	// The first round hangs on the gated upstream: the ticks meanwhile
	// are skipped.
	eventually(t, "a skipped round", func() bool { return testutil.ToFloat64(s.roundsSkipped) >= 3 })
	if n := started.Load(); n != 1 {
		t.Errorf("%d rounds started while the first one was still running, want 1", n)
	}
	close(slow.open)
	eventually(t, "three finished rounds", func() bool { return testutil.ToFloat64(s.rounds) >= 3 })
	cancel()
	<-done
	if m := maxRounds.Load(); m != 1 {
		t.Errorf("%d rounds ran at once, want 1", m)
	}
	if m := slow.max.Load(); m != 1 {
		t.Errorf("the upstream saw %d requests at once, want 1", m)
	}
	if !strings.Contains(logs.String(), `"msg":"round skipped: the previous round is still running"`) {
		t.Errorf("no skipped round in the log:\n%s", logs)
	}
}

// TestReload: a good graph, a broken one (the old graph and its metrics
// stay, the failure is counted and logged with FILE:LINE:COLUMN), a good
// one again.
func TestReload(t *testing.T) {
	a, b := startGated(t), startGated(t)
	close(a.open)
	close(b.open)
	path := filepath.Join(t.TempDir(), "updoc.yaml")
	writeGraph(t, path, fmt.Sprintf("version: 1\nupstreams:\n  alpha: {url: \"http://%s/\", samples: 0}\n", a.addr))
	s, logs := newServer(t, Options{Load: fileLoader(path)})
	ts := httpServer(t, s)
	s.round(context.Background())
	m := scrape(t, ts.URL+"/metrics")
	if v, ok := m.value("updoc_upstream_healthy", "upstream=alpha"); !ok || v != 1 {
		t.Fatalf("good graph: updoc_upstream_healthy{alpha} = %v (present %v)", v, ok)
	}

	writeGraph(t, path, "version: 1\nupstreams:\n  alpha: {url: \"http://x/\", samples: 0}\n  beta: {urll: \"http://y/\"}\n")
	code, body := post(t, ts.URL+"/-/reload")
	if code != http.StatusInternalServerError || !strings.Contains(body, "urll") {
		t.Errorf("broken graph: POST /-/reload %d %q, want 500 naming the error", code, body)
	}
	if !regexp.MustCompile(regexp.QuoteMeta(path) + `:4:\d+: `).MatchString(logs.String()) {
		t.Errorf("the log does not name %s:4:COLUMN:\n%s", path, logs)
	}
	s.round(context.Background())
	m = scrape(t, ts.URL+"/metrics")
	if v, ok := m.value("updoc_upstream_healthy", "upstream=alpha"); !ok || v != 1 {
		t.Errorf("after the broken graph: updoc_upstream_healthy{alpha} = %v (present %v), want the old graph's 1", v, ok)
	}
	if v, _ := m.value("updoc_config_reload_failures_total"); v != 1 {
		t.Errorf("updoc_config_reload_failures_total = %v, want 1", v)
	}
	if v, _ := m.value("updoc_config_last_reload_successful"); v != 0 {
		t.Errorf("updoc_config_last_reload_successful = %v, want 0", v)
	}

	writeGraph(t, path, fmt.Sprintf("version: 1\nupstreams:\n  beta: {url: \"http://%s/\", samples: 0}\n", b.addr))
	if code, body := post(t, ts.URL+"/-/reload"); code != http.StatusOK {
		t.Errorf("good graph again: POST /-/reload %d %q", code, body)
	}
	s.round(context.Background())
	m = scrape(t, ts.URL+"/metrics")
	if v, ok := m.value("updoc_upstream_healthy", "upstream=beta"); !ok || v != 1 {
		t.Errorf("good graph again: updoc_upstream_healthy{beta} = %v (present %v)", v, ok)
	}
	if _, ok := m.value("updoc_upstream_healthy", "upstream=alpha"); ok {
		t.Error("alpha left the graph but still has metrics")
	}
	if v, _ := m.value("updoc_config_reload_failures_total"); v != 1 {
		t.Errorf("updoc_config_reload_failures_total = %v, want still 1", v)
	}
	if v, _ := m.value("updoc_config_last_reload_successful"); v != 1 {
		t.Errorf("updoc_config_last_reload_successful = %v, want 1", v)
	}
	if code, _ := get(t, ts.URL+"/-/reload"); code != http.StatusMethodNotAllowed {
		t.Errorf("GET /-/reload: %d, want 405", code)
	}

	// A load the shutdown stopped is no fault of the graph: not counted,
	// not logged as an error.
	stopping, stop := context.WithCancel(context.Background())
	stop()
	s.opts.Load = func() (*graph.Graph, error) {
		return graph.LoadFile(stopping, path, nil, func(string) (string, bool) { return "", false })
	}
	if err := s.Reload(); err == nil {
		t.Fatal("a load stopped by its context reloaded")
	}
	m = scrape(t, ts.URL+"/metrics")
	if v, _ := m.value("updoc_config_reload_failures_total"); v != 1 {
		t.Errorf("after a stopped load: updoc_config_reload_failures_total = %v, want still 1", v)
	}
	if strings.Contains(logs.String(), "context canceled") {
		t.Errorf("a stopped load was logged as a failure:\n%s", logs)
	}
}

// TestServeShutsDownWhenItsContextEnds: Serve returns nil when its context
// ends, even with a round stuck on an upstream that never answers, and
// stops listening.
func TestServeShutsDownWhenItsContextEnds(t *testing.T) {
	hung := startGated(t)
	path := filepath.Join(t.TempDir(), "updoc.yaml")
	writeGraph(t, path, fmt.Sprintf("version: 1\nupstreams:\n  hung: {url: \"http://%s/\", samples: 0, timeout: 1h}\n", hung.addr))
	s, logs := newServer(t, Options{Load: fileLoader(path), Run: engine.Options{Deadline: time.Hour}})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	eventually(t, "the round to reach the upstream", func() bool { return hung.inFlight.Load() == 1 })
	if code, _ := get(t, "http://"+ln.Addr().String()+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz: %d", code)
	}
	cancel()
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
	if _, err := net.Dial("tcp", ln.Addr().String()); err == nil {
		t.Error("still listening after Serve returned")
	}
	if s.lastReport() != nil {
		t.Error("the round cut short by the shutdown was published")
	}
	if !strings.Contains(logs.String(), `"msg":"shutting down"`) {
		t.Errorf("log:\n%s", logs)
	}
}
