package probe

import (
	"context"
	"errors"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/graph"
)

func TestDNSExplicitResolvers(t *testing.T) {
	srv := startDNS(t)
	svc, _ := silentTCP(t) // what resolved targets connect to
	_, port := hostPort(t, svc)
	udp := graph.Resolver{Kind: "udp", Addr: srv.addr}
	tcp := graph.Resolver{Kind: "tcp", Addr: srv.addr}
	mapped := "::ffff:127.0.0.1"

	type q struct {
		qtype, rcode string
		addrs        []string
		chain        []string
		truncated    bool
	}
	tests := []struct {
		name      string
		host      string
		family    graph.IPFamily
		resolvers []graph.Resolver
		queries   []q
		addresses []string
	}{
		{"A and AAAA", "a.test", "any", []graph.Resolver{udp},
			[]q{{"A", "NOERROR", []string{"127.0.0.1"}, nil, false}, {"AAAA", "NOERROR", []string{mapped}, nil, false}},
			[]string{"127.0.0.1", mapped}},
		{"ipv4 only", "a.test", "ipv4", []graph.Resolver{udp},
			[]q{{"A", "NOERROR", []string{"127.0.0.1"}, nil, false}},
			[]string{"127.0.0.1"}},
		{"ipv6 only", "a.test", "ipv6", []graph.Resolver{udp},
			[]q{{"AAAA", "NOERROR", []string{mapped}, nil, false}},
			[]string{mapped}},
		{"cname chain", "alias.test", "ipv4", []graph.Resolver{udp},
			[]q{{"A", "NOERROR", []string{"127.0.0.1"}, []string{"edge.test", "a.test"}, false}},
			[]string{"127.0.0.1"}},
		{"nxdomain", "nx.test", "any", []graph.Resolver{udp},
			[]q{{"A", "NXDOMAIN", nil, nil, false}, {"AAAA", "NXDOMAIN", nil, nil, false}}, nil},
		{"servfail", "fail.test", "ipv4", []graph.Resolver{udp},
			[]q{{"A", "SERVFAIL", nil, nil, false}}, nil},
		{"refused", "elsewhere.example", "ipv4", []graph.Resolver{udp},
			[]q{{"A", "REFUSED", nil, nil, false}}, nil},
		{"nodata", "nodata.test", "any", []graph.Resolver{udp},
			[]q{{"A", "NOERROR", nil, nil, false}, {"AAAA", "NOERROR", nil, nil, false}}, nil},
		{"truncated udp retried over tcp", "big.test", "ipv4", []graph.Resolver{udp},
			[]q{{"A", "NOERROR", []string{"127.0.0.1"}, nil, true}},
			[]string{"127.0.0.1"}},
		{"tcp resolver", "a.test", "ipv4", []graph.Resolver{tcp},
			[]q{{"A", "NOERROR", []string{"127.0.0.1"}, nil, false}},
			[]string{"127.0.0.1"}},
		{"two resolvers, union deduplicated, v4 first", "a.test", "any", []graph.Resolver{udp, tcp},
			[]q{
				{"A", "NOERROR", []string{"127.0.0.1"}, nil, false}, {"AAAA", "NOERROR", []string{mapped}, nil, false},
				{"A", "NOERROR", []string{"127.0.0.1"}, nil, false}, {"AAAA", "NOERROR", []string{mapped}, nil, false},
			},
			[]string{"127.0.0.1", mapped}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u := upstream(t, "svc", "tcp://"+tc.host+":"+port, withResolvers(tc.resolvers...), func(u *graph.Upstream) { u.IPFamily = tc.family })
			res := runOne(t, testOpts(t), u)
			must(t, res.DNS != nil, "DNS is nil")
			if res.DNS.Name != tc.host {
				t.Errorf("Name = %q, want %q", res.DNS.Name, tc.host)
			}
			must(t, len(res.DNS.Queries) == len(tc.queries), "got %d queries, want %d: %+v", len(res.DNS.Queries), len(tc.queries), res.DNS.Queries)
			for i, want := range tc.queries {
				got := res.DNS.Queries[i]
				if got.Err != nil {
					t.Errorf("query %d: Err = %v", i, got.Err)
				}
				if got.QType != want.qtype || got.Rcode != want.rcode || !slices.Equal(got.Addresses, want.addrs) ||
					!slices.Equal(got.CNAMEChain, want.chain) || got.Truncated != want.truncated {
					t.Errorf("query %d = %+v, want %+v", i, got, want)
				}
				if got.Resolver.String() != tc.resolvers[i*len(tc.resolvers)/len(tc.queries)].String() {
					t.Errorf("query %d: Resolver = %q", i, got.Resolver.String())
				}
				if got.Server != srv.addr {
					t.Errorf("query %d: Server = %q, want %q", i, got.Server, srv.addr)
				}
				if got.Duration <= 0 {
					t.Errorf("query %d: Duration = %v", i, got.Duration)
				}
			}
			if !slices.Equal(res.DNS.Addresses, tc.addresses) {
				t.Errorf("Addresses = %v, want %v", res.DNS.Addresses, tc.addresses)
			}
			// Targets are the resolved addresses with the URL's port.
			var targets []string
			for _, tr := range res.Targets {
				targets = append(targets, tr.Address)
			}
			var want []string
			for _, a := range tc.addresses {
				want = append(want, net.JoinHostPort(a, port))
			}
			if !slices.Equal(targets, want) {
				t.Errorf("targets = %v, want %v", targets, want)
			}
			for _, tr := range res.Targets {
				if tr.TCP == nil || tr.TCP.Err != nil {
					t.Errorf("target %s: TCP = %+v", tr.Address, tr.TCP)
				}
			}
		})
	}
	if srv.tcpHits.Load() == 0 {
		t.Error("the DNS server saw no TCP query")
	}
}

func TestDNSTimeout(t *testing.T) {
	silent := silentUDP(t)
	srv := startDNS(t)
	rs := []graph.Resolver{{Kind: "udp", Addr: silent}, {Kind: "udp", Addr: srv.addr}}
	u := upstream(t, "svc", "tcp://a.test:1", withResolvers(rs...), func(u *graph.Upstream) { u.IPFamily = "ipv4" })
	start := time.Now()
	res := runOne(t, testOpts(t), u)
	within(t, "run with a silent resolver", time.Since(start), testTimeout)
	within(t, "dns layer", res.DNS.Duration, testTimeout)

	q := res.DNS.Queries[0]
	within(t, "silent resolver query", q.Duration, testTimeout)
	if q.Rcode != "" || q.Err == nil {
		t.Fatalf("silent resolver: Rcode %q Err %v, want no rcode and an error", q.Rcode, q.Err)
	}
	var ne net.Error
	if !errors.As(q.Err, &ne) || !ne.Timeout() {
		t.Errorf("Err %v (%T) is not a net.Error timeout", q.Err, q.Err)
	}
	if !errors.Is(q.Err, context.DeadlineExceeded) {
		t.Errorf("Err %v does not match context.DeadlineExceeded", q.Err)
	}
	// The other resolver answered meanwhile (queries run concurrently).
	if q2 := res.DNS.Queries[1]; q2.Rcode != "NOERROR" || len(q2.Addresses) != 1 {
		t.Errorf("second resolver: %+v", q2)
	}
	if !slices.Equal(res.DNS.Addresses, []string{"127.0.0.1"}) {
		t.Errorf("Addresses = %v", res.DNS.Addresses)
	}
}

func TestDNSSystem(t *testing.T) {
	srv := startDNS(t)
	svc, _ := silentTCP(t)
	_, port := hostPort(t, svc)
	hosts := writeFile(t, "hosts", "# comment\n127.0.0.1\tlocalhost\n127.0.0.1 hosted.test Alias.Test # trailing\n::ffff:127.0.0.1 hosted6.test\nbogus line\n")

	tests := []struct {
		name       string
		resolvConf string
		host       string
		resolver   string // of the A query
		server     string
		addrs      []string
		rcode      string
		errWanted  bool
	}{
		{"hosts file", "nameserver " + closedAddr(t, "udp"), "hosted.test", "system", "", []string{"127.0.0.1"}, "NOERROR", false},
		{"hosts file alias, case-insensitive", "nameserver " + closedAddr(t, "udp"), "alias.test", "system", "", []string{"127.0.0.1"}, "NOERROR", false},
		{"resolv.conf nameserver", "search example.org\nnameserver " + srv.addr, "a.test", "system (" + srv.addr + ")", srv.addr, []string{"127.0.0.1"}, "NOERROR", false},
		{"resolv.conf nxdomain", "nameserver " + srv.addr, "nx.test", "system (" + srv.addr + ")", srv.addr, nil, "NXDOMAIN", false},
		{"first nameserver silent, second answers", "nameserver " + silentUDP(t) + "\nnameserver " + srv.addr, "a.test", "system (" + srv.addr + ")", srv.addr, []string{"127.0.0.1"}, "NOERROR", false},
		{"no nameserver answers", "nameserver " + silentUDP(t), "a.test", "system", "", nil, "", true},
		{"no resolv.conf", "", "a.test", "system", "", nil, "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := testOpts(t)
			opts.HostsPath = hosts
			if tc.resolvConf != "" {
				opts.ResolvConfPath = writeFile(t, "resolv.conf", tc.resolvConf+"\n")
			} else {
				opts.ResolvConfPath = t.TempDir() + "/missing"
			}
			u := upstream(t, "svc", "tcp://"+tc.host+":"+port, func(u *graph.Upstream) { u.IPFamily = "ipv4" })
			res := runOne(t, opts, u)
			must(t, res.DNS != nil && len(res.DNS.Queries) == 1, "DNS = %+v", res.DNS)
			q := res.DNS.Queries[0]
			if q.ResolverName() != tc.resolver || q.Resolver != graph.SystemResolver || q.Server != tc.server || q.Rcode != tc.rcode || !slices.Equal(q.Addresses, tc.addrs) {
				t.Errorf("query = %+v\nwant resolver %q server %q rcode %q addrs %v", q, tc.resolver, tc.server, tc.rcode, tc.addrs)
			}
			if (q.Err != nil) != tc.errWanted {
				t.Errorf("Err = %v, want error: %v", q.Err, tc.errWanted)
			}
		})
	}

	t.Run("hosts file answers both families", func(t *testing.T) {
		opts := testOpts(t)
		opts.HostsPath = hosts
		res := runOne(t, opts, upstream(t, "svc", "tcp://hosted6.test:"+port))
		must(t, res.DNS != nil && len(res.DNS.Queries) == 2, "DNS = %+v", res.DNS)
		a, aaaa := res.DNS.Queries[0], res.DNS.Queries[1]
		// ::ffff:127.0.0.1 is an IPv4 address written the IPv6 way.
		if a.QType != "A" || !slices.Equal(a.Addresses, []string{"127.0.0.1"}) || aaaa.QType != "AAAA" || aaaa.Rcode != "NOERROR" || len(aaaa.Addresses) != 0 {
			t.Errorf("queries = %+v", res.DNS.Queries)
		}
	})
}

func TestDNSSkipped(t *testing.T) {
	svc, _ := silentTCP(t)
	_, port := hostPort(t, svc)
	for _, u := range []*graph.Upstream{
		upstream(t, "ip", "tcp://"+svc),
		upstream(t, "ip-targets", "tcp://svc.test:"+port, withTargets(svc, svc)),
	} {
		res := runOne(t, testOpts(t), u)
		if res.DNS != nil {
			t.Errorf("%s: DNS = %+v, want nil", u.Name, res.DNS)
		}
		if len(res.Targets) == 0 || res.Targets[0].Address != svc || res.Targets[0].TCP.Err != nil {
			t.Errorf("%s: targets = %+v", u.Name, res.Targets)
		}
	}
}

func TestParseHosts(t *testing.T) {
	m := parseHosts([]byte("127.0.0.1 a A.example. b # c\n::1 a\n# x\n\nnot-an-ip d\n"))
	if !slices.Equal(m["a"], []string{"127.0.0.1", "::1"}) || !slices.Equal(m["a.example"], []string{"127.0.0.1"}) || m["c"] != nil || m["d"] != nil {
		t.Errorf("parseHosts = %v", m)
	}
}
