package engine_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/report"
)

// The latency layer end to end: samples are the upstream's request
// repeated (10 by default) on a kept-alive connection.

// Case 19 of issue 9: a server that closes every connection after its
// answer, without Connection: close. Healthy: the samples re-open the
// connection as curl and net/http do, all ten count, and the closing is
// evidence (latency_ms.reconnects), not an intermittent failure. Every
// sample re-opens it, the first too: the http layer's request ran on the
// target's one connection, which the server closed after answering.
func TestServerClosingEveryConnectionIsHealthy(t *testing.T) {
	addr, _ := testserver.ClosesAfterAnswer(t)
	u := diagnoseOne(t, e2eOpts(t), e2eUpstream(t, "http://"+addr+"/health"))
	if u.Status != report.Healthy || len(u.Findings) != 0 {
		t.Fatalf("status %s, findings %+v", u.Status, u.Findings)
	}
	l := u.Targets[0].LatencyMS
	if l == nil || l.Samples != 10 || l.Reconnects != 10 {
		t.Fatalf("latency_ms %+v, want 10 samples and 10 reconnects", l)
	}
}

// One stall among ten samples is noise on a busy machine, not a latency
// spread; two (20 %) are a tail.
func TestOneStallIsNotASpread(t *testing.T) {
	for _, tt := range []struct {
		stalls []int32 // request numbers that stall (the http layer's is 1)
		spread bool
	}{
		{stalls: []int32{5}},
		{stalls: []int32{4, 8}, spread: true},
	} {
		t.Run(fmt.Sprint(len(tt.stalls), " stalls"), func(t *testing.T) {
			var n atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				k := n.Add(1)
				for _, s := range tt.stalls {
					if k == s {
						time.Sleep(80 * time.Millisecond) // the stall under test
					}
				}
				fmt.Fprint(w, "ok")
			}))
			defer srv.Close()
			u := diagnoseOne(t, e2eOpts(t), e2eUpstream(t, srv.URL+"/health"))
			var codes []string
			for _, f := range u.Findings {
				codes = append(codes, f.Code)
			}
			got := strings.Contains(strings.Join(codes, ","), "latency.high_spread")
			if got != tt.spread || (!tt.spread && u.Status != report.Healthy) {
				t.Errorf("status %s, findings %v, want high_spread %v", u.Status, codes, tt.spread)
			}
		})
	}
}

// An endless body stays healthy under sampling too: every sample stops
// reading at max_body, and none fails. (The spread of their timings is
// not this test's concern: on a loaded machine two slow samples out of ten
// are a true latency.high_spread, so latency findings are left out.)
func TestEndlessBodyUnderSamplingIsHealthy(t *testing.T) {
	chunk := strings.Repeat("x", 32<<10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for r.Context().Err() == nil {
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	up := e2eUpstream(t, srv.URL+"/stream")
	up.MaxBody = 256 << 10
	u := diagnoseOne(t, e2eOpts(t), up)
	for _, f := range u.Findings {
		if f.Code != catalog.LatencyHighSpread {
			t.Errorf("finding %s: %s", f.Code, f.Message)
		}
	}
	if u.Layers.HTTP != report.Pass {
		t.Errorf("http layer %s, want pass", u.Layers.HTTP)
	}
	if l := u.Targets[0].LatencyMS; l == nil || l.Samples != 10 {
		t.Fatalf("latency_ms %+v", l)
	}
}

// Samples that fail while others pass are http.intermittent, a warning in
// the latency layer — never http.unavailable or another fail-level code.
func TestFailingSamplesAreIntermittent(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if k := n.Add(1); k == 4 || k == 7 { // samples 3 and 6
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	addr := srv.Listener.Addr().String()
	u := diagnoseOne(t, e2eOpts(t), e2eUpstream(t, srv.URL+"/health"))
	f := onlyFinding(t, u, "")
	if f.Code != "http.intermittent" || f.Severity != report.Warn || f.Layer != "latency" || f.Target != addr || u.Status != report.Degraded {
		t.Fatalf("finding %s/%s/%s target %q, status %s", f.Code, f.Severity, f.Layer, f.Target, u.Status)
	}
	want := "2 of 10 latency samples to " + addr + " failed while the others passed (intermittent); the first, sample 3: 503 Service Unavailable"
	if !strings.Contains(f.Message, want) {
		t.Errorf("message %q lacks %q", f.Message, want)
	}
	if fmt.Sprint(f.Evidence["failed"], "/", f.Evidence["samples"]) != "2/10" || fmt.Sprint(f.Evidence["first_status"]) != "503" {
		t.Errorf("evidence %v", f.Evidence)
	}
	if l := u.Targets[0].LatencyMS; l == nil || l.Samples != 8 {
		t.Errorf("latency_ms %+v, want the 8 samples that passed", l)
	}
}
