package probe

import (
	"slices"
	"testing"

	"github.com/miekg/dns"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/graph"
)

// The system resolver applies resolv.conf's search list and ndots as the C
// library does, and names the fully qualified name that answered.
func TestSystemResolverSearchList(t *testing.T) {
	srv := testserver.DNS(t, false, testserver.Zone(t, []string{
		"backend.svc.x.test. 60 IN A 127.0.0.1",
		"api.x.test. 60 IN A 127.0.0.2",
		"api.x.test.svc.x.test. 60 IN A 127.0.0.3",
		"v6only.svc.x.test. 60 IN AAAA ::1",
		"nodata.svc.x.test. 60 IN TXT \"no address\"",
		"nodata.x.test. 60 IN A 127.0.0.4",
	}, map[string]dns.HandlerFunc{"broken.svc.x.test.": func(w dns.ResponseWriter, r *dns.Msg) {
		m := new(dns.Msg)
		m.SetReply(r)
		m.Rcode = dns.RcodeRefused
		_ = w.WriteMsg(m)
	}}))
	conf := func(opts string) string {
		return "search svc.x.test x.test\n" + opts + "nameserver " + srv + "\n"
	}
	tests := []struct {
		name     string
		conf     string
		host     string
		family   graph.IPFamily
		answered string   // Name of the A query
		rcode    string   // of the A query
		addrs    []string // of the A query
		searched []string
	}{
		{"short name, ndots 5: search list first", conf("options ndots:5\n"), "backend", graph.IPFamilyV4,
			"backend.svc.x.test.", "NOERROR", []string{"127.0.0.1"}, []string{"backend.svc.x.test."}},
		{"one dot, ndots 5: search list before the name as it is", conf("options ndots:5\n"), "api.x.test", graph.IPFamilyV4,
			"api.x.test.svc.x.test.", "NOERROR", []string{"127.0.0.3"}, []string{"api.x.test.svc.x.test."}},
		{"enough dots (ndots 1): the name as it is first", conf(""), "api.x.test", graph.IPFamilyV4,
			"api.x.test.", "NOERROR", []string{"127.0.0.2"}, nil},
		{"trailing dot: as it is only", conf("options ndots:5\n"), "api.x.test.", graph.IPFamilyV4,
			"api.x.test.", "NOERROR", []string{"127.0.0.2"}, nil},
		{"NXDOMAIN everywhere: every candidate asked, the last answer kept", conf("options ndots:5\n"), "ghost", graph.IPFamilyV4,
			"ghost.", "NXDOMAIN", nil, []string{"ghost.svc.x.test.", "ghost.x.test.", "ghost."}},
		{"the other family answers: that candidate is the one", conf("options ndots:5\n"), "v6only", graph.IPFamilyAny,
			"v6only.svc.x.test.", "NOERROR", nil, []string{"v6only.svc.x.test."}},
		{"NODATA moves on to the next candidate", conf("options ndots:5\n"), "nodata", graph.IPFamilyV4,
			"nodata.x.test.", "NOERROR", []string{"127.0.0.4"}, []string{"nodata.svc.x.test.", "nodata.x.test."}},
		{"REFUSED ends the search list; the name as it is is still asked", conf("options ndots:5\n"), "broken", graph.IPFamilyV4,
			"broken.", "NXDOMAIN", nil, []string{"broken.svc.x.test.", "broken."}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := testOpts(t)
			opts.ResolvConfPath = writeFile(t, "resolv.conf", tc.conf)
			u := upstream(t, "svc", "tcp://"+tc.host+":1", func(u *graph.Upstream) { u.IPFamily = tc.family })
			res := runOne(t, opts, u)
			must(t, res.DNS != nil && len(res.DNS.Queries) > 0, "DNS = %+v", res.DNS)
			q := res.DNS.Queries[0]
			if q.QType != "A" || q.Err != nil || q.Name != tc.answered || q.Rcode != tc.rcode || !slices.Equal(q.Addresses, tc.addrs) ||
				q.ResolverName() != "system ("+srv+")" {
				t.Errorf("A query = %+v\nwant name %q rcode %q addresses %v", q, tc.answered, tc.rcode, tc.addrs)
			}
			want := tc.searched
			if len(want) < 2 {
				want = nil
			}
			for _, q := range res.DNS.Queries {
				if !slices.Equal(q.Searched, want) || q.Name != tc.answered {
					t.Errorf("%s query: name %q searched %v, want %q %v", q.QType, q.Name, q.Searched, tc.answered, want)
				}
			}
		})
	}
}

func TestResolvConfCandidates(t *testing.T) {
	tests := []struct {
		search    []string
		ndots     int
		name      string
		want      []string
		asIsFirst bool
	}{
		{[]string{"ns.svc.cluster.local", "svc.cluster.local", "cluster.local"}, 5, "backend",
			[]string{"backend.ns.svc.cluster.local.", "backend.svc.cluster.local.", "backend.cluster.local.", "backend."}, false},
		{[]string{"svc.cluster.local"}, 5, "api.example.com",
			[]string{"api.example.com.svc.cluster.local.", "api.example.com."}, false},
		{[]string{"example.com"}, 1, "www", []string{"www.example.com.", "www."}, false},
		{[]string{"example.com"}, 1, "www.example.com", []string{"www.example.com.", "www.example.com.example.com."}, true},
		{[]string{"example.com"}, 0, "www", []string{"www.", "www.example.com."}, true},
		{[]string{"example.com"}, 5, "www.", []string{"www."}, true},
		{nil, 1, "www", []string{"www."}, false},
		{[]string{"a.test", "A.TEST", ""}, 1, "x", []string{"x.a.test.", "x."}, false},
	}
	for _, tc := range tests {
		c := &resolvConf{search: tc.search, ndots: tc.ndots}
		got, asIsFirst := c.candidates(tc.name)
		if !slices.Equal(got, tc.want) || asIsFirst != tc.asIsFirst {
			t.Errorf("search %v ndots %d, %q: %v (as is first %v), want %v (%v)", tc.search, tc.ndots, tc.name, got, asIsFirst, tc.want, tc.asIsFirst)
		}
	}
}

// resolv.conf's "domain", "search" and "options ndots:N" are read.
func TestResolvConfSearchAndNdots(t *testing.T) {
	for _, tc := range []struct {
		conf   string
		search []string
		ndots  int
	}{
		{"nameserver 127.0.0.1\n", nil, 1},
		{"domain corp.example.\nnameserver 127.0.0.1\n", []string{"corp.example"}, 1},
		{"search a.example b.example\noptions ndots:5 timeout:2\nnameserver 127.0.0.1\n", []string{"a.example", "b.example"}, 5},
		{"search a.example\noptions ndots:99\nnameserver 127.0.0.1\n", []string{"a.example"}, 15},
	} {
		e := &env{resolvConfPath: writeFile(t, "resolv.conf", tc.conf)}
		rc, err := e.resolvConf()
		if err != nil || !slices.Equal(rc.search, tc.search) || rc.ndots != tc.ndots {
			t.Errorf("%q: %+v, %v; want search %v ndots %d", tc.conf, rc, err, tc.search, tc.ndots)
		}
	}
}
