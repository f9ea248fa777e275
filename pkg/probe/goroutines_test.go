package probe

import (
	"context"
	"fmt"
	"net"
	"runtime"
	"testing"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/graph"
)

// Goroutines start as slots free up: probing 500 upstreams (half resolved
// through DNS, half with two targets) never has many more goroutines alive
// than --concurrency allows — one per slot (an upstream, or a helper taking
// one of its targets), plus in a dns layer one per extra question — where
// it used to start 500 at once, parked on the semaphore.
func TestGoroutinesBoundedByConcurrency(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() { // accept and close: one goroutine, whatever the load
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	addr := ln.Addr().String()
	_, port := hostPort(t, addr)
	dnsAddr := testserver.DNS(t, false, testserver.Zone(t, []string{"svc.test. 60 IN A 127.0.0.1"}, nil))
	resolver := withResolvers(graph.Resolver{Kind: graph.ResolverUDP, Addr: dnsAddr})

	const n, concurrency = 500, 8
	var ups []*graph.Upstream
	for i := range n {
		name := fmt.Sprintf("u%d", i)
		if i%2 == 0 {
			ups = append(ups, upstream(t, name, "tcp://svc.test:"+port, resolver))
		} else {
			ups = append(ups, upstream(t, name, "tcp://"+addr, withTargets(addr, addr)))
		}
	}
	opts := testOpts(t)
	opts.Concurrency = concurrency

	base := runtime.NumGoroutine()
	peak := 0
	rs := Run(context.Background(), &graph.Graph{Upstreams: ups}, opts, func(Event) {
		peak = max(peak, runtime.NumGoroutine()-base)
	})
	for _, r := range rs {
		for _, tr := range r.Targets {
			must(t, tr.TCP != nil && tr.TCP.Err == nil, "%s %s: tcp %+v", r.Upstream, tr.Address, tr.TCP)
		}
	}
	t.Logf("peak goroutines above the test's own: %d (concurrency %d, %d upstreams)", peak, concurrency, n)
	// A slot's goroutine, one more per slot in a dns layer (A and AAAA
	// asked together), and a few of the runtime's and the servers'.
	if limit := 2*concurrency + 10; peak > limit {
		t.Errorf("peak %d goroutines above the test's own, want at most %d", peak, limit)
	}
}
