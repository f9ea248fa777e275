package probe

import (
	"errors"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/graph"
)

// A resolver where nothing listens fails at once with ECONNREFUSED (ICMP
// port unreachable for UDP, a refused connect for TCP), not by the timeout;
// the system resolver records one *NameserverError per nameserver of
// resolv.conf.
func TestDNSResolverWhereNothingListens(t *testing.T) {
	udp, tcp := closedAddr(t, "udp"), closedAddr(t, "tcp")
	for _, tc := range []struct {
		name     string
		resolver graph.Resolver
		conf     string // resolv.conf of the system resolver
	}{
		{"udp", graph.Resolver{Kind: graph.ResolverUDP, Addr: udp}, ""},
		{"tcp", graph.Resolver{Kind: graph.ResolverTCP, Addr: tcp}, ""},
		{"system, two nameservers", graph.SystemResolver, "nameserver " + udp + "\nnameserver " + closedAddr(t, "udp") + "\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := testOpts(t)
			if tc.conf != "" {
				opts.ResolvConfPath = writeFile(t, "resolv.conf", tc.conf)
			}
			u := upstream(t, "svc", "tcp://h.test:1", withResolvers(tc.resolver), func(u *graph.Upstream) { u.IPFamily = graph.IPFamilyV4 })
			u.Timeout = 2 * time.Second
			start := time.Now()
			res := runOne(t, opts, u)
			if took := time.Since(start); took > time.Second {
				t.Errorf("took %v: a refused query must not wait for the timeout", took)
			}
			must(t, res.DNS != nil && len(res.DNS.Queries) == 1, "DNS = %+v", res.DNS)
			q := res.DNS.Queries[0]
			if q.Rcode != "" || !errors.Is(q.Err, syscall.ECONNREFUSED) || q.Truncated {
				t.Fatalf("query = %+v, want no rcode and ECONNREFUSED", q)
			}
			if tc.resolver.Kind != graph.ResolverSystem {
				return
			}
			j, ok := q.Err.(interface{ Unwrap() []error })
			must(t, ok, "Err %T joins nothing", q.Err)
			var servers []string
			for _, e := range j.Unwrap() {
				var ne *NameserverError
				if !errors.As(e, &ne) || !errors.Is(ne, syscall.ECONNREFUSED) {
					t.Errorf("%v (%T) is not a refused *NameserverError", e, e)
					continue
				}
				servers = append(servers, ne.Server)
			}
			if len(servers) != 2 || servers[0] != udp || slices.Contains(servers[1:], udp) {
				t.Errorf("nameservers %v, want %s and the second", servers, udp)
			}
		})
	}
}
