package serve

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/engine"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/lab"
	"github.com/updoc/updoc/pkg/report"
)

// labLoader loads the lab's graph, only the upstreams named.
func labLoader(l *lab.Lab, only ...string) func() (*graph.Graph, error) {
	return func() (*graph.Graph, error) {
		g, err := graph.Load("lab.yaml", l.Config(), l.Env(func(string) (string, bool) { return "", false }))
		if err != nil {
			return nil, err
		}
		return g.Select(only, nil)
	}
}

func newServer(t *testing.T, opts Options) (*Server, *testserver.SyncBuffer) {
	t.Helper()
	logs := &testserver.SyncBuffer{}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	s, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s, logs
}

// httpServer serves s's handler on 127.0.0.1.
func httpServer(t *testing.T, s *Server) *httptest.Server {
	t.Helper()
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	return resp.StatusCode, string(b)
}

func post(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Post(url, "text/plain", nil)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// scrape reads the Prometheus text exposition at url.
func scrape(t *testing.T, url string) metrics {
	t.Helper()
	code, body := get(t, url)
	if code != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", url, code, body)
	}
	return parseMetrics(t, body)
}

func parseMetrics(t *testing.T, body string) metrics {
	t.Helper()
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse metrics: %v\n%s", err, body)
	}
	return metrics(fams)
}

type metrics map[string]*dto.MetricFamily

// series are the series of name whose labels include want ("k=v" pairs).
func (m metrics) series(name string, want ...string) []*dto.Metric {
	fam := m[name]
	if fam == nil {
		return nil
	}
	var out []*dto.Metric
next:
	for _, s := range fam.Metric {
		got := map[string]string{}
		for _, l := range s.Label {
			got[l.GetName()] = l.GetValue()
		}
		for _, kv := range want {
			k, v, _ := strings.Cut(kv, "=")
			if got[k] != v {
				continue next
			}
		}
		out = append(out, s)
	}
	return out
}

// value is the value of the first series of name whose labels include
// want; ok is false when there is none.
func (m metrics) value(name string, want ...string) (float64, bool) {
	for _, s := range m.series(name, want...) {
		switch {
		case s.Gauge != nil:
			return s.Gauge.GetValue(), true
		case s.Counter != nil:
			return s.Counter.GetValue(), true
		case s.Untyped != nil:
			return s.Untyped.GetValue(), true
		}
	}
	return 0, false
}

// count is how many series of name carry the labels want.
func (m metrics) count(name string, want ...string) int { return len(m.series(name, want...)) }

// quantile is quantile q of the summary name whose labels include want.
func (m metrics) quantile(name, q string, want ...string) (float64, bool) {
	for _, s := range m.series(name, want...) {
		if s.Summary == nil {
			continue
		}
		for _, qq := range s.Summary.Quantile {
			if strconv.FormatFloat(qq.GetQuantile(), 'g', -1, 64) == q {
				return qq.GetValue(), true
			}
		}
	}
	return 0, false
}

// gatherCollector collects c through a registry and its text exposition.
func gatherCollector(t *testing.T, c prometheus.Collector) metrics {
	t.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	fams, err := reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	var b bytes.Buffer
	enc := expfmt.NewEncoder(&b, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, f := range fams {
		if err := enc.Encode(f); err != nil {
			t.Fatal(err)
		}
	}
	return parseMetrics(t, b.String())
}

// recordingEngine is engine.Run that records the upstreams of each run.
func recordingEngine(runs *[][]string) EngineFunc {
	var mu sync.Mutex
	return func(ctx context.Context, g *graph.Graph, opts engine.Options, observe engine.Observer) report.Report {
		mu.Lock()
		*runs = append(*runs, g.Names())
		mu.Unlock()
		return engine.Run(ctx, g, opts, observe)
	}
}
