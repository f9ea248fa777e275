package probe

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/graph"
)

// inFlight is a DNS handler that counts the questions it holds at once.
// Each is held until more than limit are in flight (then all go at once:
// the bound is already broken) or for a while, so that questions asked
// together are seen together.
type inFlight struct {
	limit int
	mu    sync.Mutex
	n     int
	max   int
	total int
	over  chan struct{}
}

func (f *inFlight) ServeDNS(w dns.ResponseWriter, r *dns.Msg) {
	f.mu.Lock()
	f.n++
	f.total++
	f.max = max(f.max, f.n)
	if f.n > f.limit {
		select {
		case <-f.over:
		default:
			close(f.over)
		}
	}
	f.mu.Unlock()
	select {
	case <-f.over:
	case <-time.After(50 * time.Millisecond):
	}
	m := new(dns.Msg)
	m.SetRcode(r, dns.RcodeNameError)
	f.mu.Lock()
	f.n-- // before the answer goes: the asker cannot count it as done sooner
	f.mu.Unlock()
	_ = w.WriteMsg(m)
}

// DNS fan-out honours --concurrency: however many upstreams, resolvers and
// question types a run has, at most opts.Concurrency questions are in
// flight at once, counted at the servers.
func TestDNSQuestionsInFlightAtMostConcurrency(t *testing.T) {
	const concurrency = 2
	h := &inFlight{limit: concurrency, over: make(chan struct{})}
	a, b := testserver.DNS(t, false, h), testserver.DNS(t, false, h)
	opts := testOpts(t)
	opts.Concurrency = concurrency
	resolvers := withResolvers(graph.Resolver{Kind: graph.ResolverUDP, Addr: a}, graph.Resolver{Kind: graph.ResolverUDP, Addr: b})
	var ups []*graph.Upstream
	for i := range 6 {
		// Distinct names: no question is shared.
		// A timeout far above the hold: a question never times out at
		// the asker while the server still holds it.
		ups = append(ups, upstream(t, fmt.Sprintf("u%d", i), fmt.Sprintf("tcp://u%d.test:1", i), resolvers,
			func(u *graph.Upstream) { u.Timeout = 30 * time.Second }))
	}
	rs := Run(context.Background(), &graph.Graph{Upstreams: ups}, opts, nil)
	for _, r := range rs {
		must(t, r.DNS != nil && len(r.DNS.Queries) == 4, "%s: dns %+v, want 4 answers", r.Upstream, r.DNS)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.total != 24 {
		t.Errorf("%d questions asked, want 24 (6 names × 2 types × 2 resolvers)", h.total)
	}
	if h.max > concurrency {
		t.Errorf("%d questions in flight at once, want at most --concurrency %d", h.max, concurrency)
	}
}
