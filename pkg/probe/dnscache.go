package probe

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/updoc/updoc/pkg/graph"
)

// dnsCache shares the questions of one Run: each question — one resolver
// (or, for the system resolver, its resolv.conf), one fully qualified name,
// one type, one per-operation timeout — is asked once, and every upstream,
// target or redirect of the run that needs it gets that answer (issue 11:
// 1,000 upstreams sharing a host name ask 1 A and 1 AAAA question, not
// 2,000). A caller that comes while the question is being asked waits for
// that answer instead of asking again.
//
// An answer that did not arrive because the asking caller's context ended
// (the run's deadline, an interrupt, a request's own deadline) is that
// caller's, not a fact about the name: it is not kept, and the callers
// waiting for it ask again. Every other outcome is kept for the run,
// failures included (a timeout under the upstream's own timeout, a refused
// port): they are what the resolver did.
//
// The zero value is ready to use; it belongs to one env, hence to one Run.
type dnsCache struct {
	mu      sync.Mutex
	entries map[dnsKey]*dnsEntry

	// slots bounds the questions in flight at once (--concurrency): a
	// question is asked while it holds one. nil: no bound.
	slots chan struct{}

	// waiting, when set (tests), is called when a caller starts waiting
	// for an answer another caller is asking.
	waiting func(dnsKey)
}

// dnsKey names one question. timeout is part of it: two upstreams with
// different timeouts may get different outcomes from a slow resolver.
type dnsKey struct {
	resolver graph.Resolver
	fqdn     string
	qtype    uint16
	timeout  time.Duration
}

type dnsEntry struct {
	done chan struct{} // closed when q is set, or when the ask was cut
	q    DNSQuery
	cut  bool // the asking caller's context ended first: not kept
}

// ask returns the answer to key: the one kept for the run, the one being
// asked (waited for), or else asks it with ask(ctx). ask must return a
// query whose Rcode is "" when no answer came.
//
// A caller whose ctx ends while it waits gets ask(ctx) with that ended
// context: it fails at once, before any packet is sent (net.Dialer checks
// the context first), and is shaped as any question cut by its context is.
func (c *dnsCache) ask(ctx context.Context, key dnsKey, ask func(context.Context) DNSQuery) DNSQuery {
	for {
		c.mu.Lock()
		e, ok := c.entries[key]
		if !ok {
			if c.entries == nil {
				c.entries = map[dnsKey]*dnsEntry{}
			}
			e = &dnsEntry{done: make(chan struct{})}
			c.entries[key] = e
			c.mu.Unlock()

			q := c.askHolding(ctx, ask)
			c.mu.Lock()
			if q.Rcode == "" && ended(ctx) != nil {
				e.cut = true
				delete(c.entries, key)
			} else {
				e.q = q
			}
			c.mu.Unlock()
			close(e.done)
			return q
		}
		c.mu.Unlock()

		if c.waiting != nil && !closed(e.done) {
			c.waiting(key)
		}
		select {
		case <-e.done:
			if !e.cut {
				return e.q.clone()
			}
			// Cut by its asker's context: ask again (or wait for
			// whoever does).
		case <-ctx.Done():
			return ask(ctx)
		}
	}
}

// questions are the keys of asking rv about fqdn, one per type of qtypes,
// under the per-operation timeout.
func questions(rv graph.Resolver, fqdn string, qtypes []uint16, timeout time.Duration) []dnsKey {
	keys := make([]dnsKey, len(qtypes))
	for j, qt := range qtypes {
		keys[j] = dnsKey{resolver: rv, fqdn: fqdn, qtype: qt, timeout: timeout}
	}
	return keys
}

// askAll returns the answers to keys, in order: those kept for the run at
// once, on the caller's goroutine, and the others concurrently, each as ask
// gets it (asked, or waited for). ask(ctx, j) asks keys[j]. With every
// answer kept — the common case: many upstreams share a name — it starts no
// goroutine.
func (c *dnsCache) askAll(ctx context.Context, keys []dnsKey, ask func(ctx context.Context, j int) DNSQuery) []DNSQuery {
	out := make([]DNSQuery, len(keys))
	var missing []int
	c.mu.Lock()
	for j, k := range keys {
		if e, ok := c.entries[k]; ok && closed(e.done) && !e.cut {
			out[j] = e.q.clone()
		} else {
			missing = append(missing, j)
		}
	}
	c.mu.Unlock()
	each(len(missing), func(m int) {
		j := missing[m]
		out[j] = c.ask(ctx, keys[j], func(ctx context.Context) DNSQuery { return ask(ctx, j) })
	})
	return out
}

// askHolding calls ask(ctx) holding one of c.slots, so that at most
// cap(c.slots) questions of the run are in flight at once. A caller whose
// ctx ends while it waits for a slot gets ask(ctx) with that ended context,
// which fails before any packet is sent (as in ask).
func (c *dnsCache) askHolding(ctx context.Context, ask func(context.Context) DNSQuery) DNSQuery {
	if c.slots == nil {
		return ask(ctx)
	}
	select {
	case c.slots <- struct{}{}:
		defer func() { <-c.slots }()
	case <-ctx.Done():
	}
	return ask(ctx)
}

// closed reports whether done is closed.
func closed(done chan struct{}) bool {
	select {
	case <-done:
		return true
	default:
		return false
	}
}

// clone is q with slices of its own, so that no two results of a run share
// a backing array.
func (q DNSQuery) clone() DNSQuery {
	q.Searched = slices.Clone(q.Searched)
	q.Addresses = slices.Clone(q.Addresses)
	q.CNAMEChain = slices.Clone(q.CNAMEChain)
	q.ExtendedErrors = slices.Clone(q.ExtendedErrors)
	return q
}
