package diagnose

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

// Latency samples that fail while the target's own check passed are
// http.intermittent (SPEC §4: a warning, with failed/total and the first
// failure), never a fail-level code; a connection the server closed and the
// sample re-opened is not a failure.
func TestIntermittentSamples(t *testing.T) {
	ok := func(ms float64) probe.LatencySample { return msSamples(ms)[0] }
	failed := func(err error) probe.LatencySample { return probe.LatencySample{Duration: time.Millisecond, Err: err} }
	status := func(code int) probe.LatencySample {
		return probe.LatencySample{Duration: time.Millisecond, Status: code}
	}
	timeout := probe.LatencySample{Duration: 5 * time.Second, Err: fmt.Errorf("read: %w", context.DeadlineExceeded)}
	tcpUp := node("db", "tcp://db.internal:5432")
	redirectOnly := node("api", "http://api/")
	redirectOnly.Expect.Status = []graph.StatusRange{{Lo: 200, Hi: 200}}

	for _, tt := range []struct {
		name     string
		up       *graph.Upstream
		planned  int
		samples  []probe.LatencySample
		want     string // message; "" for no http.intermittent
		evidence map[string]any
		variant  bool // the connect variant of the steps
		// redirected: the http layer followed a redirect to its answer
		redirected bool
	}{
		{name: "a reset among passing samples",
			samples:  []probe.LatencySample{ok(2), failed(errReset), ok(2), ok(3)},
			want:     "1 of 4 latency samples to 10.0.0.7:80 failed while the others passed (intermittent); the first, sample 2: the connection was reset (connection reset by peer)",
			evidence: map[string]any{"failed": 1, "samples": 4, "first_failed_sample": 2, "first_error": "read: connection reset by peer"}},
		{name: "a status outside expect.status",
			samples:  []probe.LatencySample{ok(2), ok(2), status(503), status(502), ok(2)},
			want:     "2 of 5 latency samples to 10.0.0.7:80 failed while the others passed (intermittent); the first, sample 3: 503 Service Unavailable, expected 2xx, 3xx",
			evidence: map[string]any{"failed": 2, "first_status": 503}},
		{name: "a body cut short",
			samples:  []probe.LatencySample{ok(2), {Duration: time.Millisecond, Status: 200, Err: io.ErrUnexpectedEOF}},
			want:     "the first, sample 2: 200 OK, then the body failed: the connection closed without a complete answer",
			evidence: map[string]any{"first_status": 200}},
		{name: "every sample failed",
			samples: []probe.LatencySample{failed(errReset), failed(errReset)},
			want:    "all 2 latency samples to 10.0.0.7:80 failed although the target's own check passed (intermittent)"},
		{name: "a timeout stops the sampling", planned: 10,
			samples:  []probe.LatencySample{ok(2), ok(2), timeout},
			want:     "the first, sample 3: no answer within the 5s timeout; sampling stopped there, after 3 of 10 samples",
			evidence: map[string]any{"stopped": true, "planned": 10}},
		{name: "tcp connects", up: tcpUp,
			samples: []probe.LatencySample{{Duration: time.Millisecond}, failed(errRefused), {Duration: time.Millisecond}},
			want:    "1 of 3 latency samples (TCP connects) to 10.0.0.7:80 failed while the others passed (intermittent); the first, sample 2: connection refused",
			variant: true},
		{name: "reconnects are evidence, not failures",
			samples: []probe.LatencySample{ok(2), {Duration: time.Millisecond, Status: 200, Reconnect: probe.ReconnectServerClosed}, {Duration: time.Millisecond, Status: 200, Reconnect: probe.ReconnectBodyCut}}},
		{name: "a redirect the http layer followed passes", up: redirectOnly, redirected: true,
			samples: []probe.LatencySample{status(302), status(302)}},
		{name: "a redirect the http layer did not follow fails", up: redirectOnly,
			samples: []probe.LatencySample{status(200), status(302)},
			want:    "the first, sample 2: 302 Found, expected 200"},
		{name: "no sample ran", samples: nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			up := tt.up
			if up == nil {
				up = node("api", "http://api/")
			}
			tg := httpOK("10.0.0.7:80", 200)
			if !up.Scheme().HasHTTP() {
				tg = okTarget("10.0.0.7:80")
			}
			if tt.redirected {
				tg.HTTP.Redirects = []string{"http://api/login"}
			}
			planned := tt.planned
			if planned == 0 {
				planned = len(tt.samples)
			}
			tg.Latency = &probe.LatencyResult{Planned: planned, Samples: tt.samples}
			rep := run(graphOf(up), probe.Result{Upstream: up.Name, Targets: []probe.TargetResult{tg}})
			u := rep.Upstreams[0]
			f, got := findCode(u.Findings, catalog.HTTPIntermittent)
			if got != (tt.want != "") {
				t.Fatalf("http.intermittent %v, want %v: %v", got, tt.want != "", codes(u.Findings))
			}
			for _, f := range u.Findings {
				if f.Severity == report.Fail {
					t.Errorf("a latency sample made a fail-level finding: %s %s", f.Code, f.Message)
				}
			}
			if !got {
				if u.Status != report.Healthy {
					t.Errorf("status %s, findings %v", u.Status, codes(u.Findings))
				}
				return
			}
			if f.Severity != report.Warn || f.Layer != "latency" || f.Target != "10.0.0.7:80" || u.Status != report.Degraded {
				t.Errorf("finding %s/%s/%s target %q, upstream %s", f.Code, f.Severity, f.Layer, f.Target, u.Status)
			}
			mustContain(t, "message", f.Message, tt.want)
			for k, v := range tt.evidence {
				if f.Evidence[k] != v {
					t.Errorf("evidence %s = %v, want %v (%v)", k, f.Evidence[k], v, f.Evidence)
				}
			}
			steps := strings.Join(f.Remediation, "\n")
			if tt.variant != strings.Contains(steps, "nc -z -w 2 10.0.0.7 80") {
				t.Errorf("connect variant %v, steps:\n%s", tt.variant, steps)
			}
		})
	}
}

// The report's latency_ms counts only the samples that passed, and the
// reconnects the server caused.
func TestLatencyReportCountsPassedSamplesAndReconnects(t *testing.T) {
	tg := httpOK("10.0.0.7:80", 200)
	tg.Latency = &probe.LatencyResult{Planned: 4, Samples: []probe.LatencySample{
		{Duration: 2 * time.Millisecond, Status: 200},
		{Duration: 4 * time.Millisecond, Status: 200, Reconnect: probe.ReconnectServerClosed},
		{Duration: 90 * time.Millisecond, Status: 503, Reconnect: probe.ReconnectServerClosed},
		{Duration: 6 * time.Millisecond, Status: 200, Reconnect: probe.ReconnectConnectionClose},
	}}
	rep := run(graphOf(node("api", "http://api/")), probe.Result{Upstream: "api", Targets: []probe.TargetResult{tg}})
	l := rep.Upstreams[0].Targets[0].LatencyMS
	if l == nil || l.Samples != 3 || l.Max != 6 || l.Reconnects != 3 {
		t.Errorf("latency_ms %+v, want 3 samples (max 6ms) and 3 reconnects", l)
	}
}
