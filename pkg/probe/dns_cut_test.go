package probe

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/graph"
)

// When the run ends (deadline, interrupt) while one family's answer has
// arrived and the other's has not, the question left unanswered goes to
// DNSResult.Cut — never to Queries, where it could be read as "no records".
func TestDNSQuestionsCutByTheRunsEnd(t *testing.T) {
	// The server answers one type at once and never the other.
	silentFor := func(qtype uint16) dns.HandlerFunc {
		return func(w dns.ResponseWriter, r *dns.Msg) {
			if r.Question[0].Qtype == qtype {
				return
			}
			m := new(dns.Msg)
			m.SetReply(r)
			if r.Question[0].Qtype == dns.TypeA {
				m.Answer = append(m.Answer, rr(r.Question[0].Name+" 60 IN A 127.0.0.1"))
			}
			_ = w.WriteMsg(m)
		}
	}
	for _, tc := range []struct {
		name     string
		silent   uint16
		answered string
		cut      string
		cause    error
	}{
		{"deadline: A arrived, AAAA did not", dns.TypeAAAA, "A", "AAAA", context.DeadlineExceeded},
		{"deadline: AAAA (no data) arrived, A did not", dns.TypeA, "AAAA", "A", context.DeadlineExceeded},
		{"interrupt: A arrived, AAAA did not", dns.TypeAAAA, "A", "AAAA", context.Canceled},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := testserver.DNS(t, false, silentFor(tc.silent))
			u := upstream(t, "svc", "tcp://h.test:1", withResolvers(graph.Resolver{Kind: graph.ResolverUDP, Addr: srv}))
			u.Timeout = 5 * time.Second // the run ends first
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if errors.Is(tc.cause, context.DeadlineExceeded) {
				var stop context.CancelFunc
				ctx, stop = context.WithTimeout(ctx, 200*time.Millisecond)
				defer stop()
			} else {
				time.AfterFunc(200*time.Millisecond, cancel)
			}
			rs := Run(ctx, &graph.Graph{Upstreams: []*graph.Upstream{u}}, testOpts(t), nil)
			d := rs[0].DNS
			must(t, d != nil, "DNS is nil")
			if len(d.Queries) != 1 || d.Queries[0].QType != tc.answered || d.Queries[0].Rcode != "NOERROR" {
				t.Errorf("Queries = %+v, want only the %s answer", d.Queries, tc.answered)
			}
			if len(d.Cut) != 1 || d.Cut[0].QType != tc.cut || d.Cut[0].Rcode != "" || !errors.Is(d.Cut[0].Err, tc.cause) {
				t.Errorf("Cut = %+v, want the %s question, its error %v", d.Cut, tc.cut, tc.cause)
			}
			if !errors.Is(rs[0].Unfinished, tc.cause) {
				t.Errorf("Unfinished = %v", rs[0].Unfinished)
			}
			wantAddrs := []string(nil)
			if tc.answered == "A" {
				wantAddrs = []string{"127.0.0.1"}
			}
			if !slices.Equal(d.Addresses, wantAddrs) {
				t.Errorf("Addresses = %v, want %v", d.Addresses, wantAddrs)
			}
		})
	}
}
