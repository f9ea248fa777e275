package diagnose

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

func latencyTarget(addr string, samples ...float64) probe.TargetResult {
	t := httpOK(addr, 200)
	t.Latency = &probe.LatencyResult{Samples: msSamples(samples...)}
	return t
}

func repeat(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// spread builds n samples of p50 milliseconds, the last k of which take
// slow milliseconds (k < n/2, so p50 stays p50).
func spread(n int, p50 float64, k int, slow float64) []float64 {
	s := repeat(p50, n)
	for i := n - k; i < n; i++ {
		s[i] = slow
	}
	return s
}

// latency.high_spread (SPEC §4): at least 10 samples, of which at least 2
// and at least 10 % are slower than 4 × p50 and more than 50 ms above it.
func TestHighSpreadThresholds(t *testing.T) {
	for _, tt := range []struct {
		name    string
		samples []float64
		want    bool
	}{
		{"one 50 ms stall among 10 samples on a busy machine is noise", spread(10, 2, 1, 55), false},
		{"one big stall among 10 samples is noise too", spread(10, 20, 1, 400), false},
		{"2 of 10 samples 5× p50, 80 ms above it", spread(10, 20, 2, 100), true},
		{"9 samples are too few", spread(9, 20, 3, 100), false},
		{"2 of 30 samples is under 10 %", spread(30, 20, 2, 100), false},
		{"3 of 30 samples is 10 %", spread(30, 20, 3, 100), true},
		{"exactly 4× p50 is not slower", spread(10, 20, 3, 80), false},
		{"just above 4× p50, 60.1 ms above it", spread(10, 20, 3, 80.1), true},
		{"5× p50 but exactly 50 ms above it", spread(10, 12.5, 3, 62.5), false},
		{"5× p50 and 50.1 ms above it", spread(10, 12.525, 3, 62.625), true},
		{"fast service: 1 ms vs 20 ms (ratio 20, gap 19)", spread(20, 1, 5, 20), false},
		{"uniformly slow is not a spread", repeat(300, 10), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rep := run(graphOf(node("api", "http://api/")), probe.Result{Upstream: "api",
				Targets: []probe.TargetResult{latencyTarget("10.0.0.1:80", tt.samples...)}})
			f, got := findCode(rep.Upstreams[0].Findings, catalog.LatencyHighSpread)
			if got != tt.want {
				t.Fatalf("high_spread %v, want %v (%v)", got, tt.want, codes(rep.Upstreams[0].Findings))
			}
			if got {
				if f.Severity != report.Warn || f.Layer != "latency" || f.Target != "10.0.0.1:80" {
					t.Errorf("finding %+v", f)
				}
				mustContain(t, "message", f.Message, "samples to 10.0.0.1:80 were slower than 4 × p50", "more than 50ms above it")
				if f.Evidence["slow_samples"] == nil || f.Evidence["samples"] != len(tt.samples) {
					t.Errorf("evidence %v", f.Evidence)
				}
			} else if u := rep.Upstreams[0]; u.Status != report.Healthy {
				t.Errorf("status %s, findings %v", u.Status, codes(u.Findings))
			}
		})
	}
}

func TestLoadImbalanceOnExactlyTheSlowTarget(t *testing.T) {
	type tc struct {
		name string
		p50s []float64 // one per target, 5 samples each
		want []int     // targets with load.imbalance
		n    int       // samples per target
	}
	for _, tt := range []tc{
		{name: "lab: three replicas, third 80 ms slower", p50s: []float64{0.4, 0.5, 80.6}, want: []int{2}},
		{name: "slow target first", p50s: []float64{95, 10, 12, 11}, want: []int{0}},
		{name: "2× but only 15 ms above", p50s: []float64{5, 5, 16}, want: nil},
		{name: "25 ms above but not 2×", p50s: []float64{40, 40, 65}, want: nil},
		{name: "exactly 2× is not above", p50s: []float64{30, 30, 60}, want: nil},
		{name: "two targets are not enough to tell", p50s: []float64{1, 90}, want: nil},
		{name: "two slow of three: no single odd one", p50s: []float64{1, 80, 82}, want: nil},
		{name: "all equally slow", p50s: []float64{200, 210, 205}, want: nil},
		{name: "a target with too few samples is left out", p50s: []float64{1, 1, 90}, n: 2, want: nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			n := tt.n
			if n == 0 {
				n = 5
			}
			var targets []probe.TargetResult
			for i, p := range tt.p50s {
				targets = append(targets, latencyTarget("10.0.0."+string(rune('1'+i))+":80", repeat(p, n)...))
			}
			rep := run(graphOf(node("api", "http://api/")), probe.Result{Upstream: "api", Targets: targets})
			u := rep.Upstreams[0]
			var got []int
			for _, f := range u.Findings {
				if f.Code != catalog.LoadImbalance {
					continue
				}
				idx := slices.IndexFunc(targets, func(t probe.TargetResult) bool { return t.Address == f.Target })
				got = append(got, idx)
				if f.Severity != report.Warn || f.Layer != "latency" {
					t.Errorf("finding %+v", f)
				}
				mustContain(t, "message", f.Message, f.Target, "median p50")
				if _, ok := f.Evidence["others_median_p50_ms"]; !ok {
					t.Errorf("evidence %v", f.Evidence)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("load.imbalance on %v, want %v (findings %v)", got, tt.want, codes(u.Findings))
			}
			if len(tt.want) > 0 && u.Status != report.Degraded {
				t.Errorf("status %s", u.Status)
			}
		})
	}
}

func TestLatencySlowStillOnP90(t *testing.T) {
	up := node("api", "http://api/")
	up.Expect.MaxLatency = 100 * time.Millisecond
	// p90 of 1..10 × 20 ms (nearest rank 9) = 180 ms > 100 ms; p50 = 100 ms.
	s := []float64{20, 40, 60, 80, 100, 120, 140, 160, 180, 200}
	rep := run(graphOf(up), probe.Result{Upstream: "api", Targets: []probe.TargetResult{latencyTarget("10.0.0.1:80", s...)}})
	f, ok := findCode(rep.Upstreams[0].Findings, catalog.LatencySlow)
	if !ok || f.Evidence["p90_ms"] != 180.0 {
		t.Fatalf("latency.slow %+v %v", f, codes(rep.Upstreams[0].Findings))
	}
	up.Expect.MaxLatency = 180 * time.Millisecond // p90 equal to the limit is not above it
	rep = run(graphOf(up), probe.Result{Upstream: "api", Targets: []probe.TargetResult{latencyTarget("10.0.0.1:80", s...)}})
	if _, ok := findCode(rep.Upstreams[0].Findings, catalog.LatencySlow); ok {
		t.Error("p90 == max_latency reported as slow")
	}
}

// Latency is honest: through the real probe against a loopback server that
// sleeps 50 ms per request, p50 lies between 49 and 65 ms.
func TestLatencyHonestAgainstA50msServer(t *testing.T) {
	if testing.Short() {
		t.Skip("sleeps")
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(50 * time.Millisecond)
		_, _ = w.Write([]byte(`{"status":"UP"}`))
	}))
	srv.Start() // httptest listens on 127.0.0.1
	defer srv.Close()
	g, err := graph.FromURLs([]string{srv.URL + "/healthz"})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	results := probe.Run(context.Background(), g, probe.Options{Concurrency: 1}, nil)
	rep := diagnosed(Input{Graph: g, Results: results, StartedAt: start, Duration: time.Since(start), Now: time.Now()})
	u := rep.Upstreams[0]
	if len(u.Targets) != 1 || u.Targets[0].LatencyMS == nil {
		t.Fatalf("no latency: %+v", u)
	}
	l := u.Targets[0].LatencyMS
	t.Logf("50 ms server: samples %d, min %.1f p50 %.1f p90 %.1f p99 %.1f max %.1f ms", l.Samples, l.Min, l.P50, l.P90, l.P99, l.Max)
	if l.Samples != 10 || l.P50 < 49 || l.P50 > 65 {
		t.Errorf("p50 %.1f ms over %d samples, want 49..65 ms", l.P50, l.Samples)
	}
	if l.Min < 49 {
		t.Errorf("min %.1f ms is below the server's own 50 ms sleep", l.Min)
	}
	if u.Status != report.Healthy {
		t.Errorf("status %s, findings %v", u.Status, codes(u.Findings))
	}
}

// TestLatencyNotJudgedWhenHTTPFailed: a target whose http layer failed has
// its latency layer skipped and no latency.* finding; its samples stay as
// facts, and load.imbalance compares only the targets that answered well.
func TestLatencyNotJudgedWhenHTTPFailed(t *testing.T) {
	up := node("api", "http://api.example.com/")
	up.Expect.MaxLatency = 50 * time.Millisecond
	mk := func(addr string, status int, samples ...float64) probe.TargetResult {
		tr := httpOK(addr, status)
		tr.Latency = &probe.LatencyResult{Samples: msSamples(samples...)}
		return tr
	}
	slow := []float64{400, 400, 400, 400, 400, 400, 400, 400, 400, 4000}
	fast := []float64{5, 5, 5, 5, 5, 5, 5, 5, 5, 5}

	// One target, 503: latency skip, no latency.slow nor high_spread.
	rep := run(graphOf(up), probe.Result{Upstream: "api", DNS: dnsOK("api.example.com", "10.0.0.1"),
		Targets: []probe.TargetResult{mk("10.0.0.1:80", 503, slow...)}})
	u := upstreamOf(t, rep, "api")
	if u.Layers.HTTP != report.LFail || u.Layers.Latency != report.Skip {
		t.Errorf("layers %+v, want http fail, latency skip", u.Layers)
	}
	for _, f := range u.Findings {
		if f.Layer == "latency" || strings.HasPrefix(f.Code, "latency.") || strings.HasPrefix(f.Code, "load.") {
			t.Errorf("latency judged for a failed target: %s %s", f.Code, f.Message)
		}
	}
	if u.Targets[0].LatencyMS != nil {
		t.Errorf("a skipped latency layer shows numbers: %+v", u.Targets[0].LatencyMS)
	}

	// Three replicas: the slow one answers 502. With it left out, only two
	// targets remain: too few for load.imbalance, and no finding about them.
	rep = run(graphOf(node("pool", "http://pool.example.com/")), probe.Result{Upstream: "pool", DNS: dnsOK("pool.example.com", "10.0.0.1", "10.0.0.2", "10.0.0.3"),
		Targets: []probe.TargetResult{mk("10.0.0.1:80", 200, fast...), mk("10.0.0.2:80", 200, fast...), mk("10.0.0.3:80", 502, slow...)}})
	u = upstreamOf(t, rep, "pool")
	for _, f := range u.Findings {
		if f.Code == catalog.LoadImbalance || f.Code == catalog.LatencyHighSpread {
			t.Errorf("%s on %s: a failed target was compared", f.Code, f.Target)
		}
	}
	if got := u.Targets[2].HTTP; got == nil || u.Targets[2].Status != report.Unhealthy {
		t.Errorf("target 3 = %+v", u.Targets[2])
	}
	if u.Layers.Latency != report.Pass {
		t.Errorf("latency layer %s, want pass (the passing targets' latency)", u.Layers.Latency)
	}

	// The same replicas all answering 200: the slow one is singled out.
	rep = run(graphOf(node("pool", "http://pool.example.com/")), probe.Result{Upstream: "pool",
		Targets: []probe.TargetResult{mk("10.0.0.1:80", 200, fast...), mk("10.0.0.2:80", 200, fast...), mk("10.0.0.3:80", 200, slow...)}})
	if _, ok := findCode(findingsOf(rep, "pool"), catalog.LoadImbalance); !ok {
		t.Errorf("control: no load.imbalance among %v", codes(findingsOf(rep, "pool")))
	}
}
