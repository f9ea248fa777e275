package probe

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/lab/ca"
)

// hungWorld starts one server per way of hanging and returns upstreams for
// them, plus a healthy one (named "healthy").
func hungWorld(t *testing.T) []*graph.Upstream {
	t.Helper()
	s := httpServer(t)
	silentDNS := silentUDP(t)
	silentTLS, _ := silentTCP(t)
	c := newCA(t)
	tlsSrv, _ := tlsServer(t, c.issue(t, ca.Leaf{Names: []string{"svc.test"}}), http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/hang" {
			<-r.Context().Done()
		}
	}))
	_, tlsPort := hostPort(t, tlsSrv.Listener.Addr().String())
	return []*graph.Upstream{
		s.upstream(t, "/ok", func(u *graph.Upstream) { u.Name = "healthy" }),
		s.upstream(t, "/hang", func(u *graph.Upstream) { u.Name = "hang" }),
		s.upstream(t, "/trickle", func(u *graph.Upstream) { u.Name = "trickle" }),
		upstream(t, "dns", "http://a.test:80/", withResolvers(graph.Resolver{Kind: "udp", Addr: silentDNS})),
		upstream(t, "tls", "tls://"+silentTLS),
		upstream(t, "https-hang", "https://svc.test:"+tlsPort+"/hang", withTargets(tlsSrv.Listener.Addr().String()),
			func(u *graph.Upstream) { u.TLS.CAFile = c.file }),
	}
}

func TestRunDeadline(t *testing.T) {
	ups := hungWorld(t)
	opts := testOpts(t)
	setTimeout(ups, 10*time.Second) // only the run's deadline can end the hung probes
	const deadline = 300 * time.Millisecond
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	start := time.Now()
	rs := Run(ctx, &graph.Graph{Upstreams: ups}, opts, nil)
	elapsed := time.Since(start)
	t.Logf("Run with a %v deadline returned after %v", deadline, elapsed.Round(time.Millisecond))
	if elapsed > deadline+slack {
		t.Errorf("Run returned after %v, want at most %v", elapsed, deadline+slack)
	}
	must(t, len(rs) == len(ups), "got %d results", len(rs))
	for i, r := range rs {
		if r.Upstream != ups[i].Name {
			t.Errorf("result %d is %q, want %q (graph order)", i, r.Upstream, ups[i].Name)
		}
		if r.Upstream == "healthy" {
			if r.Unfinished != nil || r.Targets[0].HTTP == nil || r.Targets[0].HTTP.StatusCode != 200 {
				t.Errorf("healthy: %+v", r)
			}
			continue
		}
		if r.Unfinished != context.DeadlineExceeded {
			t.Errorf("%s: Unfinished = %v, want context.DeadlineExceeded", r.Upstream, r.Unfinished)
		}
	}
	byName := map[string]Result{}
	for _, r := range rs {
		byName[r.Upstream] = r
	}
	// Interrupted layers are left out; finished ones are kept.
	if tr := byName["hang"].Targets[0]; tr.TCP == nil || tr.TCP.Err != nil || tr.HTTP != nil {
		t.Errorf("hang: %+v", tr)
	}
	if tr := byName["tls"].Targets[0]; tr.TCP == nil || tr.TLS != nil {
		t.Errorf("tls: %+v", tr)
	}
	if tr := byName["https-hang"].Targets[0]; tr.TLS == nil || tr.TLS.VerifyErr != nil || tr.HTTP != nil {
		t.Errorf("https-hang: %+v", tr)
	}
	if r := byName["dns"]; r.DNS != nil || len(r.Targets) != 0 {
		t.Errorf("dns: DNS %+v targets %+v", r.DNS, r.Targets)
	}
}

func TestRunCancel(t *testing.T) {
	ups := hungWorld(t)
	opts := testOpts(t)
	setTimeout(ups, 10*time.Second)
	ctx, cancel := context.WithCancel(context.Background())
	var cancelled atomic.Int64
	time.AfterFunc(150*time.Millisecond, func() {
		cancelled.Store(time.Now().UnixNano())
		cancel()
	})
	rs := Run(ctx, &graph.Graph{Upstreams: ups}, opts, nil)
	after := time.Since(time.Unix(0, cancelled.Load()))
	t.Logf("Run returned %v after the cancel", after.Round(time.Millisecond))
	if after > 100*time.Millisecond {
		t.Errorf("Run returned %v after the cancel, want ~immediately", after)
	}
	for _, r := range rs[1:] {
		if r.Unfinished != context.Canceled {
			t.Errorf("%s: Unfinished = %v, want context.Canceled", r.Upstream, r.Unfinished)
		}
	}
}

func TestRunConcurrencyLimit(t *testing.T) {
	var inFlight, maxInFlight, total atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		total.Add(1)
		for {
			m := maxInFlight.Load()
			if n <= m || maxInFlight.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()
	addr := srv.Listener.Addr().String()
	var ups []*graph.Upstream
	for i := range 6 {
		// Two targets each: 12 upstream×target probes.
		ups = append(ups, upstream(t, fmt.Sprint("u", i), "http://svc.test:80/", withTargets(addr, addr)))
	}
	opts := testOpts(t)
	opts.Concurrency = 3
	rs := Run(context.Background(), &graph.Graph{Upstreams: ups}, opts, nil)
	for _, r := range rs {
		for _, tr := range r.Targets {
			if tr.HTTP == nil || tr.HTTP.StatusCode != 200 {
				t.Errorf("%s %s: %+v", r.Upstream, tr.Address, tr.HTTP)
			}
		}
	}
	t.Logf("max in flight %d of %d requests (limit 3)", maxInFlight.Load(), total.Load())
	if maxInFlight.Load() > 3 {
		t.Errorf("%d requests in flight, limit 3", maxInFlight.Load())
	}
	if maxInFlight.Load() < 2 {
		t.Errorf("only %d request in flight at once: probes were not concurrent", maxInFlight.Load())
	}
}

// With one slot, an upstream's dns layer must give its slot back before its
// targets ask for one.
func TestRunConcurrencyOneWithDNS(t *testing.T) {
	dnsSrv := startDNS(t)
	s := httpServer(t)
	_, port := hostPort(t, s.Listener.Addr().String())
	rv := withResolvers(graph.Resolver{Kind: "udp", Addr: dnsSrv.addr})
	ups := []*graph.Upstream{
		upstream(t, "a", "http://a.test:"+port+"/ok", rv), // two targets (A and AAAA)
		upstream(t, "b", "http://v4.test:"+port+"/ok", rv),
	}
	opts := testOpts(t)
	opts.Concurrency = 1
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rs := Run(ctx, &graph.Graph{Upstreams: ups}, opts, nil)
	for _, r := range rs {
		if r.Unfinished != nil || len(r.Targets) == 0 {
			t.Fatalf("%s: %+v", r.Upstream, r)
		}
		for _, tr := range r.Targets {
			if tr.HTTP == nil || tr.HTTP.StatusCode != 200 {
				t.Errorf("%s %s: %+v", r.Upstream, tr.Address, tr.HTTP)
			}
		}
	}
}

func TestRunEvents(t *testing.T) {
	dnsSrv := startDNS(t)
	s := httpServer(t)
	_, port := hostPort(t, s.Listener.Addr().String())
	ups := []*graph.Upstream{
		s.upstream(t, "/ok", func(u *graph.Upstream) { u.Name = "web" }, withSamples(2)),
		upstream(t, "dns", "tcp://nx.test:"+port, withResolvers(graph.Resolver{Kind: "udp", Addr: dnsSrv.addr})),
		upstream(t, "closed", "http://"+closedAddr(t, "tcp")+"/"),
	}
	var busy atomic.Bool
	var events []Event
	observe := func(ev Event) {
		if !busy.CompareAndSwap(false, true) {
			t.Error("observer called concurrently")
		}
		time.Sleep(time.Millisecond)
		events = append(events, ev)
		busy.Store(false)
	}
	opts := testOpts(t)
	opts.Concurrency = 8
	rs := Run(context.Background(), &graph.Graph{Upstreams: ups}, opts, observe)

	var got []string
	lastDone := 0
	for _, ev := range events {
		if ev.Total != 3 {
			t.Errorf("event %+v: Total %d", ev, ev.Total)
		}
		switch ev.Kind {
		case UpstreamStarted:
			got = append(got, ev.Upstream+" started")
		case LayerDone:
			got = append(got, ev.Upstream+" "+string(ev.Layer))
		case UpstreamDone:
			got = append(got, ev.Upstream+" done")
			if ev.Done != lastDone+1 || ev.Result == nil || ev.Result.Upstream != ev.Upstream {
				t.Errorf("UpstreamDone %+v after Done %d", ev, lastDone)
			}
			lastDone = ev.Done
		}
	}
	// Per upstream, events come in order.
	for name, want := range map[string]string{
		"web":    "web started|web tcp|web http|web latency|web done",
		"dns":    "dns started|dns dns|dns done",
		"closed": "closed started|closed tcp|closed done",
	} {
		var seq []string
		for _, g := range got {
			if strings.HasPrefix(g, name+" ") {
				seq = append(seq, g)
			}
		}
		if strings.Join(seq, "|") != want {
			t.Errorf("%s events: %q, want %q", name, strings.Join(seq, "|"), want)
		}
	}
	if lastDone != 3 {
		t.Errorf("last Done = %d", lastDone)
	}
	if rs[1].DNS == nil || rs[1].DNS.Queries[0].Rcode != "NXDOMAIN" || rs[1].Targets != nil {
		t.Errorf("dns result: %+v", rs[1])
	}
}

func TestRunUpstreamTimeout(t *testing.T) {
	s := httpServer(t)
	opts := testOpts(t)
	start := time.Now()
	h := runOne(t, opts, s.upstream(t, "/hang", func(u *graph.Upstream) { u.Timeout = 100 * time.Millisecond })).Targets[0].HTTP
	within(t, "upstream timeout 100ms", time.Since(start), 100*time.Millisecond)
	if h == nil || h.ErrPhase != "headers" {
		t.Errorf("HTTP = %+v", h)
	}
}

func TestRunEmpty(t *testing.T) {
	if rs := Run(context.Background(), nil, Options{}, nil); rs != nil {
		t.Errorf("nil graph: %v", rs)
	}
	if rs := Run(context.Background(), &graph.Graph{}, Options{}, nil); len(rs) != 0 {
		t.Errorf("empty graph: %v", rs)
	}
}

func TestRunNoGoroutineLeak(t *testing.T) {
	ups := hungWorld(t)
	dnsSrv := startDNS(t)
	ups = append(ups, upstream(t, "resolved", "http://a.test:"+strings.Split(ups[0].URL.Host, ":")[1]+"/ok",
		withResolvers(graph.Resolver{Kind: "udp", Addr: dnsSrv.addr}), withSamples(3)))
	before := runtime.NumGoroutine()
	opts := testOpts(t)
	for _, u := range ups[:len(ups)-1] {
		u.Samples = 2
	}

	// Once with per-operation timeouts ending the hung probes, once with the
	// run's deadline, once with a cancel.
	Run(context.Background(), &graph.Graph{Upstreams: ups}, opts, nil)
	setTimeout(ups, 10*time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Millisecond)
	Run(ctx, &graph.Graph{Upstreams: ups}, opts, nil)
	cancel()
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	Run(ctx, &graph.Graph{Upstreams: ups}, opts, nil)

	// The HTTP transport's connection goroutines exit just after the
	// connection closes: allow them a moment.
	var left []string
	settleFor(100*time.Millisecond, func() bool { left = proberGoroutines(); return len(left) == 0 })
	if len(left) > 0 {
		t.Errorf("%d prober goroutines alive after Run returned:\n%s", len(left), strings.Join(left, "\n\n"))
	}
	// Server-side goroutines end once they notice the prober hung up.
	if !settle(func() bool { return runtime.NumGoroutine() <= before }) {
		t.Errorf("goroutines: %d before, %d after", before, runtime.NumGoroutine())
	}
}
