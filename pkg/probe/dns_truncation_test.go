package probe

import (
	"errors"
	"slices"
	"syscall"
	"testing"

	"github.com/miekg/dns"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/graph"
)

// An answer that comes back truncated (TC) over UDP is asked again over TCP
// (RFC 7766 §5). When TCP is served, the answer is the TCP one; when nothing
// listens for TCP on that port, the query records the TC flag and the
// retry's failure as a *TCPRetryError (not as a resolver where nothing
// listens: it did answer over UDP).
func TestDNSTruncatedAnswerRetriedOverTCP(t *testing.T) {
	handler := func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		if w.RemoteAddr().Network() == "udp" {
			m.Truncated = true
		} else {
			m.Answer = append(m.Answer, rr("big.test. 60 IN A 127.0.0.1"))
		}
		_ = w.WriteMsg(m)
	}
	for _, tc := range []struct {
		name  string
		tcp   bool
		rcode string
		addrs []string
	}{
		{"tcp served", true, "NOERROR", []string{"127.0.0.1"}},
		{"nothing serves tcp", false, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := testserver.DNS(t, tc.tcp, dns.HandlerFunc(handler))
			u := upstream(t, "svc", "tcp://big.test:1", withResolvers(graph.Resolver{Kind: graph.ResolverUDP, Addr: srv}),
				func(u *graph.Upstream) { u.IPFamily = graph.IPFamilyV4 })
			res := runOne(t, testOpts(t), u)
			must(t, res.DNS != nil && len(res.DNS.Queries) == 1 && len(res.DNS.Cut) == 0, "DNS = %+v", res.DNS)
			q := res.DNS.Queries[0]
			if !q.Truncated || q.Rcode != tc.rcode || !slices.Equal(q.Addresses, tc.addrs) {
				t.Errorf("query = %+v, want truncated, rcode %q, addresses %v", q, tc.rcode, tc.addrs)
			}
			if tc.tcp {
				if q.Err != nil {
					t.Errorf("Err = %v", q.Err)
				}
				return
			}
			var re *TCPRetryError
			if !errors.As(q.Err, &re) || re.Server != srv || !errors.Is(q.Err, syscall.ECONNREFUSED) {
				t.Errorf("Err = %v (%T), want a *TCPRetryError for %s wrapping ECONNREFUSED", q.Err, q.Err, srv)
			}
		})
	}
}
