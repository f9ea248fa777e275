package diagnose

import (
	"slices"
	"strings"
	"testing"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

// The system resolver is one resolver, whichever resolv.conf nameserver
// answered each question.
func TestSystemResolverIsOneResolver(t *testing.T) {
	res := probe.Result{Upstream: "users",
		DNS: &probe.DNSResult{Name: "users.internal", Addresses: []string{"10.0.0.7"}, Queries: []probe.DNSQuery{
			{Resolver: graph.SystemResolver, Server: "10.0.0.2:53", QType: "A", Rcode: "NOERROR", Addresses: []string{"10.0.0.7"}},
			{Resolver: graph.SystemResolver, Server: "10.0.0.3:53", QType: "AAAA", Rcode: "NOERROR"},
		}},
		Targets: []probe.TargetResult{httpOK("10.0.0.7:8080", 200)},
	}
	rep := run(graphOf(node("users", "http://users.internal:8080/")), res)
	if fs := findingsOf(rep, "users"); len(fs) != 0 {
		t.Errorf("findings %v", codes(fs))
	}

	nx := probe.Result{Upstream: "users", DNS: &probe.DNSResult{Name: "users.internal", Queries: []probe.DNSQuery{
		{Resolver: graph.SystemResolver, Server: "127.0.0.53:53", QType: "A", Rcode: "NXDOMAIN"},
	}}}
	rep = run(graphOf(node("users", "http://users.internal:8080/")), nx)
	f, ok := findCode(findingsOf(rep, "users"), catalog.DNSNXDomain)
	if !ok {
		t.Fatalf("findings %v", codes(findingsOf(rep, "users")))
	}
	mustContain(t, "remediation", strings.Join(f.Remediation, "\n"), "dig @127.0.0.53 users.internal A")
	mustContain(t, "message", f.Message, "NXDOMAIN for users.internal. from system (127.0.0.53:53) (A)")
}

// Targets that name hosts: each name's resolution is judged for its target;
// a name that does not resolve is a dns finding of that target (never a tcp
// one), and the targets that resolved are judged at the address dialled.
func TestTargetNameFindings(t *testing.T) {
	up := node("svc", "http://example.invalid:28080/ok")
	up.Targets = []string{"h.test:28080", "nx.test:28080", "r.test:28080"}

	ok := httpOK("127.0.0.1:28080", 200)
	ok.Address, ok.Name, ok.Dial, ok.DNS = "h.test:28080", "h.test", "127.0.0.1:28080", dnsOK("h.test", "127.0.0.1")
	nx := probe.TargetResult{Address: "nx.test:28080", Name: "nx.test", DNS: nxDNS("nx.test")}
	refused := probe.TargetResult{
		Address: "r.test:28080", Name: "r.test", Dial: "127.0.0.9:28080", DNS: dnsOK("r.test", "127.0.0.9"),
		TCP: &probe.TCPResult{Err: errRefused},
	}
	rep := run(graphOf(up), probe.Result{Upstream: "svc", Targets: []probe.TargetResult{ok, nx, refused}})
	u := upstreamOf(t, rep, "svc")

	f, found := findCode(u.Findings, catalog.DNSNXDomain)
	if !found {
		t.Fatalf("no dns.nxdomain: %v", codes(u.Findings))
	}
	if f.Target != "nx.test:28080" || f.Layer != "dns" || f.Severity != report.Warn {
		t.Errorf("dns.nxdomain target %q layer %q severity %q", f.Target, f.Layer, f.Severity)
	}
	mustContain(t, "message", f.Message, "NXDOMAIN for nx.test.", "127.0.0.1:15353")
	mustContain(t, "remediation", strings.Join(f.Remediation, "\n"), "dig @127.0.0.1 -p 15353 nx.test A")

	for _, f := range u.Findings {
		if f.Target == "nx.test:28080" && f.Layer != "dns" {
			t.Errorf("nx.test has a %s finding: %s", f.Layer, f.Code)
		}
	}
	r, found := findCode(u.Findings, catalog.TCPRefused)
	if !found || r.Target != "r.test:28080" {
		t.Fatalf("tcp.refused: %+v (%v)", r, codes(u.Findings))
	}
	mustContain(t, "message", r.Message, "r.test:28080 (127.0.0.9:28080) refused")
	mustContain(t, "remediation", r.Remediation[0], "nc -vz 127.0.0.9 28080")
	if _, found := findCode(u.Findings, catalog.LoadReplicaDown); !found {
		t.Errorf("no load.replica_down: %v", codes(u.Findings))
	}
	if u.Layers.DNS != report.LWarn || u.Layers.TCP != report.LWarn {
		t.Errorf("layers = %+v", u.Layers)
	}
	if u.Targets[1].Status != report.Unhealthy || u.Targets[1].TCP != nil {
		t.Errorf("nx target = %+v", u.Targets[1])
	}
	if u.DNS == nil || u.DNS.Name != "h.test" {
		t.Errorf("upstream dns = %+v, want the first target name's", u.DNS)
	}
	if got := u.Targets[0].HTTP.TimingsMS.DNS; got != 0.9 {
		t.Errorf("dns phase of h.test = %v ms, want its resolution's 0.9", got)
	}
}

// Every target name failing: the upstream is unhealthy with one dns finding
// per target.
func TestTargetNamesAllFail(t *testing.T) {
	up := node("svc", "http://example.invalid:28080/ok")
	up.Targets = []string{"nx.test:28080"}
	rep := run(graphOf(up), probe.Result{Upstream: "svc", Targets: []probe.TargetResult{
		{Address: "nx.test:28080", Name: "nx.test", DNS: nxDNS("nx.test")},
	}})
	u := upstreamOf(t, rep, "svc")
	if got := codes(u.Findings); !slices.Equal(got, []string{"dns.nxdomain/fail"}) {
		t.Errorf("findings = %v", got)
	}
	if u.Status != report.Unhealthy || u.Layers.DNS != report.LFail || u.Layers.TCP != report.Skip {
		t.Errorf("status %s layers %+v", u.Status, u.Layers)
	}
}

// A redirect to a host that does not resolve through the upstream's
// resolvers: a dns finding observed in the http layer, naming the redirect.
func TestRedirectHostNXDomain(t *testing.T) {
	up := node("svc", "http://127.0.0.1:8080/cross")
	tr := okTarget("127.0.0.1:8080")
	tr.HTTP = &probe.HTTPResult{
		Method: "GET", URL: "http://nx.test:8080/ok", Redirects: []string{"http://nx.test:8080/ok"},
		Err: &probe.ResolveError{Name: "nx.test", DNS: nxDNS("nx.test")}, ErrPhase: "connect",
	}
	rep := run(graphOf(up), probe.Result{Upstream: "svc", Targets: []probe.TargetResult{tr}})
	fs := findingsOf(rep, "svc")
	if got := codes(fs); !slices.Equal(got, []string{"dns.nxdomain/fail"}) {
		t.Fatalf("findings = %v", got)
	}
	f := fs[0]
	if f.Layer != "http" || f.Target != "127.0.0.1:8080" || f.Evidence["redirected_to"] != "http://nx.test:8080/ok" {
		t.Errorf("finding = %+v", f)
	}
	mustContain(t, "message", f.Message, "after following the redirect to http://nx.test:8080/ok", "NXDOMAIN for nx.test.")
}

// A name that resolved costs its diagnosis nothing: no evidence, no
// remediation facts, no copy of the questions (one in 10,000 upstreams
// is not the healthy case issue 11 measures).
func TestResolvedNameAllocatesNothing(t *testing.T) {
	res := probe.Result{Upstream: "users", DNS: &probe.DNSResult{Name: "users.internal", Addresses: []string{"10.0.0.7"}, Queries: []probe.DNSQuery{
		{Resolver: graph.SystemResolver, Server: "10.0.0.2:53", QType: "A", Rcode: "NOERROR", Addresses: []string{"10.0.0.7"}},
		{Resolver: graph.SystemResolver, Server: "10.0.0.2:53", QType: "AAAA", Rcode: "NOERROR"},
	}}}
	s := &subject{up: node("users", "http://users.internal:8080/"), res: &res}
	allocs := testing.AllocsPerRun(100, func() {
		if drs := classifyResolution(s, res.DNS, -1, "", "", false); len(drs) != 0 {
			t.Fatalf("drafts %v", drs)
		}
	})
	if allocs != 0 {
		t.Errorf("classifyResolution of a resolved name allocates %.0f times; want 0", allocs)
	}
}
