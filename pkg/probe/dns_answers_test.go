package probe

import (
	"slices"
	"testing"

	"github.com/miekg/dns"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/graph"
)

// What an answer says beyond its addresses: the CNAME chain (looping, or
// dangling at a name that does not exist) and the Extended DNS Errors of
// RFC 8914.
func TestDNSAnswerFacts(t *testing.T) {
	servfailEDE := func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		m.Rcode = dns.RcodeServerFailure
		m.SetEdns0(1232, false)
		opt := m.IsEdns0()
		opt.Option = append(opt.Option, &dns.EDNS0_EDE{InfoCode: dns.ExtendedErrorCodeSignatureExpired, ExtraText: "RRSIG expired 2 days ago"})
		_ = w.WriteMsg(m)
	}
	srv := testserver.DNS(t, false, testserver.Zone(t, []string{
		"a.x.test. 60 IN CNAME b.x.test.",
		"b.x.test. 60 IN CNAME a.x.test.",
		"shop.x.test. 60 IN CNAME gone.x.test.",
	}, map[string]dns.HandlerFunc{"dnssec.x.test.": servfailEDE}))

	tests := []struct {
		host  string
		want  DNSQuery
		loops bool
	}{
		{"a.x.test", DNSQuery{Rcode: "NOERROR", CNAMEChain: []string{"b.x.test", "a.x.test"}}, true},
		{"shop.x.test", DNSQuery{Rcode: "NXDOMAIN", CNAMEChain: []string{"gone.x.test"}}, false},
		{"dnssec.x.test", DNSQuery{Rcode: "SERVFAIL", ExtendedErrors: []ExtendedError{{Code: 7, Name: "Signature Expired", Text: "RRSIG expired 2 days ago"}}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.host, func(t *testing.T) {
			u := upstream(t, "svc", "tcp://"+tc.host+":1", withResolvers(graph.Resolver{Kind: graph.ResolverUDP, Addr: srv}),
				func(u *graph.Upstream) { u.IPFamily = graph.IPFamilyV4 })
			res := runOne(t, testOpts(t), u)
			must(t, res.DNS != nil && len(res.DNS.Queries) == 1, "DNS = %+v", res.DNS)
			q := res.DNS.Queries[0]
			if q.Err != nil || q.Name != tc.host+"." || q.Rcode != tc.want.Rcode || len(q.Addresses) != 0 ||
				!slices.Equal(q.CNAMEChain, tc.want.CNAMEChain) || q.CNAMELoop != tc.loops ||
				!slices.Equal(q.ExtendedErrors, tc.want.ExtendedErrors) {
				t.Errorf("query = %+v\nwant %+v, loop %v", q, tc.want, tc.loops)
			}
		})
	}
}

func TestParseAnswerChains(t *testing.T) {
	msg := func(records ...string) *dns.Msg {
		m := new(dns.Msg)
		for _, r := range records {
			m.Answer = append(m.Answer, rr(r))
		}
		return m
	}
	tests := []struct {
		name  string
		m     *dns.Msg
		addrs []string
		chain []string
		loop  bool
	}{
		{"no cname", msg("a. 1 IN A 127.0.0.1"), []string{"127.0.0.1"}, nil, false},
		{"chain", msg("a. 1 IN CNAME b.", "b. 1 IN CNAME c.", "c. 1 IN A 127.0.0.1"), []string{"127.0.0.1"}, []string{"b", "c"}, false},
		{"self loop", msg("a. 1 IN CNAME a."), nil, []string{"a"}, true},
		{"loop back to the middle", msg("a. 1 IN CNAME b.", "b. 1 IN CNAME c.", "c. 1 IN CNAME b."), nil, []string{"b", "c", "b"}, true},
		{"case-insensitive loop", msg("a. 1 IN CNAME B.", "b. 1 IN CNAME A."), nil, []string{"B", "A"}, true},
		{"an address of a name off the chain is not ours", msg("a. 1 IN CNAME b.", "z. 1 IN A 127.0.0.2"), nil, []string{"b"}, false},
	}
	for _, tc := range tests {
		addrs, chain, loop := parseAnswer(tc.m, "a.", dns.TypeA)
		if !slices.Equal(addrs, tc.addrs) || !slices.Equal(chain, tc.chain) || loop != tc.loop {
			t.Errorf("%s: addrs %v chain %v loop %v; want %v %v %v", tc.name, addrs, chain, loop, tc.addrs, tc.chain, tc.loop)
		}
	}
}
