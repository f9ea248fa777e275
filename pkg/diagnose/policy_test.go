package diagnose

import (
	"slices"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

func TestPolicyOverrides(t *testing.T) {
	slowUp := func() *graph.Upstream {
		u := node("users", "http://users.internal:8080/health")
		u.Expect.MaxLatency = 50 * time.Millisecond
		return u
	}
	slowRes := func() probe.Result {
		tr := httpOK("10.0.0.7:8080", 200)
		tr.Latency = &probe.LatencyResult{Samples: msSamples(80, 90, 100)}
		return probe.Result{Upstream: "users", Targets: []probe.TargetResult{tr}}
	}
	mismatchRes := func() probe.Result {
		r := slowRes()
		r.Targets[0].Latency = nil
		r.DNS = &probe.DNSResult{Name: "users.internal", Addresses: []string{"10.0.0.7"}, Queries: []probe.DNSQuery{
			{Resolver: graph.Resolver{Kind: graph.ResolverUDP, Addr: "127.0.0.1:53"}, Server: "127.0.0.1:53", QType: "A", Rcode: "NOERROR", Addresses: []string{"10.0.0.7"}},
			{Resolver: graph.Resolver{Kind: graph.ResolverUDP, Addr: "10.0.0.2:53"}, Server: "10.0.0.2:53", QType: "A", Rcode: "NXDOMAIN"},
		}}
		return r
	}
	cases := []struct {
		name     string
		policy   map[string]graph.PolicyAction
		up       *graph.Upstream
		res      probe.Result
		want     []string
		status   report.Status
		dnsLayer report.LayerStatus
	}{
		{"default warn", nil, slowUp(), slowRes(), []string{"latency.slow/warn"}, report.Degraded, report.Skip},
		{"warn → fail", map[string]graph.PolicyAction{"latency.slow": "fail"}, slowUp(), slowRes(), []string{"latency.slow/fail"}, report.Unhealthy, report.Skip},
		{"fail → warn", map[string]graph.PolicyAction{"tcp.refused": "warn"}, slowUp(),
			probe.Result{Upstream: "users", Targets: []probe.TargetResult{refusedTarget("10.0.0.7:8080")}}, []string{"tcp.refused/warn"}, report.Degraded, report.Skip},
		{"ignore", map[string]graph.PolicyAction{"dns.resolver_mismatch": "ignore"}, slowUp(), mismatchRes(), nil, report.Healthy, report.Pass},
		{"not ignored", nil, slowUp(), mismatchRes(), []string{"dns.resolver_mismatch/warn"}, report.Degraded, report.LWarn},
		{"ignore replica_down keeps the lowered target finding", map[string]graph.PolicyAction{"load.replica_down": "ignore"}, slowUp(),
			probe.Result{Upstream: "users", Targets: []probe.TargetResult{refusedTarget("10.0.0.7:8080"), httpOK("10.0.0.8:8080", 200)}},
			[]string{"tcp.refused/warn"}, report.Degraded, report.Skip},
		{"ignored target failure: the other target no longer counts as a replica down", map[string]graph.PolicyAction{"tcp.refused": "ignore"}, slowUp(),
			probe.Result{Upstream: "users", Targets: []probe.TargetResult{refusedTarget("10.0.0.7:8080"), httpOK("10.0.0.8:8080", 200)}},
			nil, report.Healthy, report.Skip},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := graphOf(tc.up)
			g.Policy.Severity = tc.policy
			rep := run(g, tc.res)
			u := upstreamOf(t, rep, "users")
			if got := codes(u.Findings); !slices.Equal(got, tc.want) {
				t.Errorf("findings %v, want %v", got, tc.want)
			}
			if u.Status != tc.status {
				t.Errorf("status %s, want %s", u.Status, tc.status)
			}
			if u.Layers.DNS != tc.dnsLayer {
				t.Errorf("dns layer %s, want %s", u.Layers.DNS, tc.dnsLayer)
			}
		})
	}
}

func TestPolicyAppliesToDerivedFindings(t *testing.T) {
	g := graphOf(node("edge", "http://edge/", "users"), node("users", "http://users/"))
	g.Policy.Severity = map[string]graph.PolicyAction{"dependency.unhealthy": "fail", "load.replica_down": "fail"}
	rep := run(g,
		probe.Result{Upstream: "edge", Targets: []probe.TargetResult{httpOK("10.0.0.1:80", 200)}},
		probe.Result{Upstream: "users", Targets: []probe.TargetResult{refusedTarget("10.0.0.2:80"), refusedTarget("10.0.0.3:80")}},
	)
	edge := upstreamOf(t, rep, "edge")
	if got := codes(edge.Findings); !slices.Equal(got, []string{"dependency.unhealthy/fail"}) || edge.Status != report.Unhealthy {
		t.Errorf("edge %s %v", edge.Status, got)
	}
	if edge.Findings[0].RootCause {
		t.Error("dependency.unhealthy is never a root cause")
	}
}
