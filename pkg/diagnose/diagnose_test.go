package diagnose

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

func refusedTarget(addr string) probe.TargetResult {
	return probe.TargetResult{Address: addr, TCP: &probe.TCPResult{Duration: 100 * time.Microsecond, Err: errRefused}}
}

func TestReplicaDownLowersTargetFailures(t *testing.T) {
	up := node("orders", "http://orders.internal/health")
	res := probe.Result{Upstream: "orders", Targets: []probe.TargetResult{
		httpOK("10.0.0.11:80", 200), refusedTarget("10.0.0.12:80"), httpOK("10.0.0.13:80", 200),
	}}
	rep := run(graphOf(up), res)
	u := upstreamOf(t, rep, "orders")
	if got := codes(u.Findings); !slices.Equal(got, []string{"tcp.refused/warn", "load.replica_down/warn"}) {
		t.Fatalf("findings %v", got)
	}
	f := u.Findings[0]
	if f.Target != "10.0.0.12:80" || f.Layer != "tcp" || !f.RootCause {
		t.Errorf("lowered finding %+v", f)
	}
	rd := u.Findings[1]
	if rd.Target != "" || rd.Layer != "tcp" || !rd.RootCause {
		t.Errorf("replica_down %+v", rd)
	}
	mustContain(t, "message", rd.Message, "1 of 3 targets failed: 10.0.0.12:80 (tcp.refused); 2 still pass")
	if got := rd.Evidence["failed_targets"].([]string); !slices.Equal(got, []string{"10.0.0.12:80 (tcp.refused)"}) {
		t.Errorf("failed_targets %v", got)
	}
	if got := rd.Evidence["passed_targets"].([]string); !slices.Equal(got, []string{"10.0.0.11:80", "10.0.0.13:80"}) {
		t.Errorf("passed_targets %v", got)
	}
	mustContain(t, "remediation", strings.Join(rd.Remediation, "\n"), "nc -vz 10.0.0.12 80")
	if u.Status != report.Degraded || rep.Status != report.Degraded {
		t.Errorf("status %s / %s, want degraded", u.Status, rep.Status)
	}
	// The failed target keeps its own, unlowered status; the upstream's
	// tcp layer is the worst of the final severities.
	tg := u.Targets[1]
	if tg.Status != report.Unhealthy || tg.TCP.Status != report.LFail || tg.HTTP != nil {
		t.Errorf("failed target %+v tcp %+v", tg, tg.TCP)
	}
	if u.Targets[0].Status != report.Healthy || u.Targets[0].TCP.Status != report.Pass || u.Targets[0].HTTP.Status != report.Pass {
		t.Errorf("passing target %+v", u.Targets[0])
	}
	if want := (report.Layers{DNS: report.Skip, TCP: report.LWarn, TLS: report.Skip, HTTP: report.Pass, Latency: report.Skip}); u.Layers != want {
		t.Errorf("layers %+v, want %+v", u.Layers, want)
	}
}

func TestAllTargetsFailedStaysFail(t *testing.T) {
	up := node("orders", "http://orders.internal/health")
	rep := run(graphOf(up), probe.Result{Upstream: "orders", Targets: []probe.TargetResult{refusedTarget("10.0.0.11:80"), refusedTarget("10.0.0.12:80")}})
	u := upstreamOf(t, rep, "orders")
	if got := codes(u.Findings); !slices.Equal(got, []string{"tcp.refused/fail", "tcp.refused/fail"}) {
		t.Fatalf("findings %v", got)
	}
	if u.Findings[0].Target != "10.0.0.11:80" || u.Findings[1].Target != "10.0.0.12:80" {
		t.Errorf("targets %q %q", u.Findings[0].Target, u.Findings[1].Target)
	}
	// One root-cause entry for both targets.
	if len(rep.RootCauses) != 1 || rep.RootCauses[0].Target != "" || !strings.HasSuffix(rep.RootCauses[0].Message, "(and 1 more target)") {
		t.Errorf("root causes %+v", rep.RootCauses)
	}
}

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

func TestStatusesAndSummary(t *testing.T) {
	g := graphOf(
		node("a", "http://a/"), node("b", "http://b/"), node("c", "http://c/"),
		node("skipped", "http://skipped/"), // not probed (--only): absent from the report
	)
	b := node("b", "http://b/")
	b.Expect.MaxLatency = time.Millisecond
	g.Upstreams[1] = b
	slow := httpOK("10.0.0.2:80", 200)
	slow.Latency = &probe.LatencyResult{Samples: msSamples(5, 6, 7)}
	rep := run(g,
		probe.Result{Upstream: "a", Targets: []probe.TargetResult{httpOK("10.0.0.1:80", 200)}},
		probe.Result{Upstream: "b", Targets: []probe.TargetResult{slow}},
		probe.Result{Upstream: "c", Targets: []probe.TargetResult{httpOK("10.0.0.3:80", 500)}},
	)
	if rep.Summary != (report.Summary{Total: 3, Healthy: 1, Degraded: 1, Unhealthy: 1}) {
		t.Errorf("summary %+v", rep.Summary)
	}
	if rep.Status != report.Unhealthy {
		t.Errorf("report status %s", rep.Status)
	}
	var names []string
	for _, u := range rep.Upstreams {
		names = append(names, u.Name+"="+string(u.Status))
	}
	if !slices.Equal(names, []string{"a=healthy", "b=degraded", "c=unhealthy"}) {
		t.Errorf("upstreams %v", names)
	}

	empty := run(graphOf())
	if empty.Status != report.Healthy || empty.Summary.Total != 0 || empty.Upstreams == nil || empty.RootCauses == nil {
		t.Errorf("empty report %+v", empty)
	}
}

// A 3-level chain: edge → gateway → users (refused). Only users' finding is
// a root cause, and it affects gateway and edge.
func TestRootCausesThroughAChain(t *testing.T) {
	g := graphOf(
		node("edge", "http://edge/", "gateway", "cache"),
		node("gateway", "http://gateway/", "users"),
		node("users", "http://users:8080/"),
		node("cache", "http://cache/"),
		node("lone", "http://lone/"),
		node("tool", "http://tool/", "users"), // depends on users but is not probed
	)
	g.Upstreams[3].Expect.MaxLatency = time.Millisecond
	cacheTarget := httpOK("10.0.0.4:80", 200)
	cacheTarget.Latency = &probe.LatencyResult{Samples: msSamples(5, 6)}
	edgeTarget := httpOK("10.0.0.1:80", 503)
	rep := run(g,
		probe.Result{Upstream: "edge", Targets: []probe.TargetResult{edgeTarget}},
		probe.Result{Upstream: "gateway", Targets: []probe.TargetResult{httpOK("10.0.0.2:80", 502)}},
		probe.Result{Upstream: "users", Targets: []probe.TargetResult{refusedTarget("10.0.0.3:8080")}},
		probe.Result{Upstream: "cache", Targets: []probe.TargetResult{cacheTarget}},
		probe.Result{Upstream: "lone", Targets: []probe.TargetResult{httpOK("10.0.0.5:80", 500)}},
	)

	type fc struct {
		code string
		sev  report.Severity
		root bool
	}
	wantFindings := map[string][]fc{
		"edge":    {{catalog.HTTPUnavailable, report.Fail, false}, {catalog.DependencyUnhealthy, report.Warn, false}},
		"gateway": {{catalog.GatewayBadGateway, report.Fail, false}, {catalog.DependencyUnhealthy, report.Warn, false}},
		"users":   {{catalog.TCPRefused, report.Fail, true}},
		"cache":   {{catalog.LatencySlow, report.Warn, true}},
		"lone":    {{catalog.HTTPServerError, report.Fail, true}},
	}
	for name, want := range wantFindings {
		fs := findingsOf(rep, name)
		var got []fc
		for _, f := range fs {
			got = append(got, fc{f.Code, f.Severity, f.RootCause})
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s findings %+v, want %+v", name, got, want)
		}
	}

	dep, _ := findCode(findingsOf(rep, "edge"), catalog.DependencyUnhealthy)
	if got := dep.Evidence["unhealthy_dependencies"].([]string); !slices.Equal(got, []string{"gateway", "users"}) {
		t.Errorf("edge unhealthy dependencies %v", got)
	}
	if got := dep.Evidence["paths"].([]string); !slices.Equal(got, []string{"edge → gateway", "edge → gateway → users"}) {
		t.Errorf("paths %v", got)
	}
	mustContain(t, "message", dep.Message, "depends on unhealthy upstreams gateway, users (edge → gateway → users)")
	// Suggested commands name the graph file (graphOf: "updoc.yaml").
	mustContain(t, "remediation", strings.Join(dep.Remediation, "\n"), "updoc check -f updoc.yaml --only gateway,users")
	mustContain(t, "remediation", strings.Join(dep.Remediation, "\n"), "updoc graph -f updoc.yaml --check")
	// A symptom's first step points at the failing dependency at the bottom.
	for up, code := range map[string]string{"edge": catalog.HTTPUnavailable, "gateway": catalog.GatewayBadGateway} {
		f, _ := findCode(findingsOf(rep, up), code)
		if len(f.Remediation) < 2 || f.Remediation[0] != "This is most likely a symptom: "+up+" depends on users, which is unhealthy (tcp.refused). Fix users first: updoc check -f updoc.yaml --only users -v" {
			t.Errorf("%s %s remediation %q", up, code, f.Remediation)
		}
	}

	type rcv struct {
		up, code string
		sev      report.Severity
		affects  string
	}
	var got []rcv
	for _, r := range rep.RootCauses {
		got = append(got, rcv{r.Upstream, r.Code, r.Severity, strings.Join(r.Affects, ",")})
	}
	want := []rcv{
		// most affected first; affects in graph order, and only upstreams of
		// the report (tool depends on users but was not probed)
		{"users", catalog.TCPRefused, report.Fail, "edge,gateway"},
		{"cache", catalog.LatencySlow, report.Warn, "edge"}, // 1 affected beats fail with 0
		{"lone", catalog.HTTPServerError, report.Fail, ""},
	}
	if !slices.Equal(got, want) {
		t.Errorf("root causes\n got %+v\nwant %+v", got, want)
	}
	if rep.RootCauses[0].Target != "10.0.0.3:8080" || rep.RootCauses[0].Message != "10.0.0.3:8080 refused the connection" {
		t.Errorf("root cause %+v", rep.RootCauses[0])
	}
	if rep.Summary != (report.Summary{Total: 5, Healthy: 0, Degraded: 1, Unhealthy: 4}) {
		t.Errorf("summary %+v", rep.Summary)
	}
}

func TestRootCauseOrderingFailBeforeWarnThenGraphOrder(t *testing.T) {
	g := graphOf(node("w", "http://w/"), node("f2", "http://f2/"), node("f1", "http://f1/"))
	g.Upstreams[0].Expect.MaxLatency = time.Millisecond
	w := httpOK("10.0.0.1:80", 200)
	w.Latency = &probe.LatencyResult{Samples: msSamples(5)}
	rep := run(g,
		probe.Result{Upstream: "w", Targets: []probe.TargetResult{w}},
		probe.Result{Upstream: "f2", Targets: []probe.TargetResult{httpOK("10.0.0.2:80", 500)}},
		probe.Result{Upstream: "f1", Targets: []probe.TargetResult{refusedTarget("10.0.0.3:80")}},
	)
	var got []string
	for _, r := range rep.RootCauses {
		got = append(got, r.Upstream)
	}
	if !slices.Equal(got, []string{"f2", "f1", "w"}) {
		t.Errorf("root cause order %v", got)
	}
}

func TestOwnFailuresStayRootCausesUnderAnUnhealthyDependency(t *testing.T) {
	g := graphOf(node("edge", "http://edge/", "users"), node("users", "http://users/"))
	rep := run(g,
		probe.Result{Upstream: "edge", Targets: []probe.TargetResult{refusedTarget("10.0.0.1:80")}},
		probe.Result{Upstream: "users", Targets: []probe.TargetResult{httpOK("10.0.0.2:80", 500)}},
	)
	f, _ := findCode(findingsOf(rep, "edge"), catalog.TCPRefused)
	if !f.RootCause {
		t.Error("tcp.refused of edge must stay a root cause")
	}
	if len(rep.RootCauses) != 2 || rep.RootCauses[0].Upstream != "users" || rep.RootCauses[1].Upstream != "edge" {
		t.Errorf("root causes %+v", rep.RootCauses)
	}
}

func TestLatencyStatsNearestRank(t *testing.T) {
	// 1..20 ms, shuffled.
	s := msSamples(7, 3, 20, 1, 15, 9, 12, 5, 18, 2, 11, 4, 16, 8, 19, 6, 14, 10, 17, 13)
	st := latencyStats(s)
	want := report.Latency{Samples: 20, Min: 1, P50: 10, P90: 18, P99: 20, Max: 20, Mean: 10.5, Stddev: 5.766}
	if *st != want {
		t.Errorf("stats %+v, want %+v", *st, want)
	}
	// Population stddev of {1,2,3,4} = 1.118.
	st = latencyStats(msSamples(4, 1, 3, 2))
	if (*st != report.Latency{Samples: 4, Min: 1, P50: 2, P90: 4, P99: 4, Max: 4, Mean: 2.5, Stddev: 1.118}) {
		t.Errorf("stats %+v", *st)
	}
	// Loopback phases take microseconds: rounded to the microsecond, not to 0.
	st = latencyStats(msSamples(0.0404, 0.0596))
	if st.Min != 0.04 || st.Max != 0.06 || st.P50 != 0.04 || st.Mean != 0.05 {
		t.Errorf("rounding %+v", *st)
	}
	if latencyStats(nil) != nil {
		t.Error("no samples must give nil")
	}
	// In the report.
	tr := httpOK("10.0.0.7:8080", 200)
	tr.Latency = &probe.LatencyResult{Samples: s}
	rep := run(graphOf(node("u", "http://u/")), probe.Result{Upstream: "u", Targets: []probe.TargetResult{tr}})
	if got := upstreamOf(t, rep, "u").Targets[0].LatencyMS; got == nil || *got != want {
		t.Errorf("latency_ms %+v", got)
	}
	if l := upstreamOf(t, rep, "u").Layers.Latency; l != report.Pass {
		t.Errorf("latency layer %s", l)
	}
}

func TestFindingsOrderedByLayerThenTarget(t *testing.T) {
	p := newPKI(t)
	expiring := p.leaf(t, testNow.Add(-80*24*time.Hour), testNow.Add(3*24*time.Hour), "api.example.com")
	up := node("api", "https://api.example.com/")
	up.Expect.MaxLatency = time.Millisecond
	mk := func(addr string, status int) probe.TargetResult {
		tr := tlsTarget(addr, &probe.TLSResult{PeerCertificates: []*x509.Certificate{expiring}})
		tr.HTTP = httpOK(addr, status).HTTP
		tr.Latency = &probe.LatencyResult{Samples: msSamples(5)}
		return tr
	}
	res := probe.Result{
		Upstream: "api", Unfinished: context.DeadlineExceeded,
		DNS: &probe.DNSResult{Name: "api.example.com", Addresses: []string{"10.0.0.1", "10.0.0.2"}, Queries: []probe.DNSQuery{
			{Resolver: graph.Resolver{Kind: graph.ResolverUDP, Addr: "127.0.0.1:53"}, Server: "127.0.0.1:53", QType: "A", Rcode: "NOERROR", Addresses: []string{"10.0.0.1"}},
			{Resolver: graph.Resolver{Kind: graph.ResolverUDP, Addr: "10.0.0.2:53"}, Server: "10.0.0.2:53", QType: "A", Rcode: "NOERROR", Addresses: []string{"10.0.0.2"}},
		}},
		Targets: []probe.TargetResult{mk("10.0.0.2:443", 500), mk("10.0.0.1:443", 200)},
	}
	rep := run(graphOf(up), res)
	var got []string
	for _, f := range findingsOf(rep, "api") {
		got = append(got, string(f.Layer)+":"+f.Code+"@"+f.Target)
	}
	want := []string{
		"dns:dns.resolver_mismatch@",
		"tls:tls.cert_expiring@10.0.0.2:443",
		"tls:tls.cert_expiring@10.0.0.1:443",
		"http:http.server_error@10.0.0.2:443",
		"http:load.replica_down@",
		// 10.0.0.2 failed at http (500): its latency is not judged.
		"latency:latency.slow@10.0.0.1:443",
		"run:run.deadline_exceeded@",
	}
	if !slices.Equal(got, want) {
		t.Errorf("order\n got %v\nwant %v", got, want)
	}
}

func TestJSONHasNoNullLists(t *testing.T) {
	g := graphOf(node("users", "http://users.internal:8080/health"))
	rep := run(g, probe.Result{Upstream: "users", DNS: dnsOK("users.internal", "10.0.0.7"), Targets: []probe.TargetResult{refusedTarget("10.0.0.7:8080")}})
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, k := range []string{`"depends_on":null`, `"targets":null`, `"findings":null`, `"root_causes":null`, `"affects":null`,
		`"addresses":null`, `"cname_chain":null`, `"remediation":null`, `"evidence":null`} {
		if strings.Contains(s, k) {
			t.Errorf("JSON has %s", k)
		}
	}
	mustContain(t, "json", s, `"schema":"updoc.report/v1"`, `"duration_ms":812.4`,
		`"layers":{"dns":"pass","tcp":"fail","tls":"skip","http":"skip","latency":"skip"}`,
		`"dns":{"name":"users.internal","resolver":"127.0.0.1:53","rcode":"NOERROR","addresses":["10.0.0.7"],"cname_chain":[],"duration_ms":0.9`,
		`"tcp":{"status":"fail","duration_ms":0.1,"error":"connection refused"}`,
		`"evidence":{"error":"connect: connection refused"}`,
		`"remediation":["Confirm from this machine: nc -vz 10.0.0.7 8080"`,
	)
	if testing.Verbose() {
		out, _ := json.MarshalIndent(rep, "", "  ")
		t.Logf("%s", out)
	}
}

func TestNilGraph(t *testing.T) {
	rep := Diagnose(Input{Results: []probe.Result{{Upstream: "x", Targets: []probe.TargetResult{refusedTarget("127.0.0.1:1")}}}, Now: testNow})
	if len(rep.Upstreams) != 1 || rep.Upstreams[0].Findings[0].Code != catalog.TCPRefused || rep.Status != report.Unhealthy {
		t.Errorf("report %+v", rep)
	}
}

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

// A target the run's end cut off is not reported healthy; one that finished
// keeps its own status.
func TestUnfinishedTargetIsNotHealthy(t *testing.T) {
	up := node("api", "http://api.example.com/")
	done := httpOK("10.0.0.1:80", 200)
	cut := probe.TargetResult{Address: "10.0.0.2:80", TCP: &probe.TCPResult{Duration: time.Millisecond}} // http never ran
	rep := run(graphOf(up), probe.Result{Upstream: "api", Unfinished: context.DeadlineExceeded, Targets: []probe.TargetResult{done, cut}})
	ts := upstreamOf(t, rep, "api").Targets
	if ts[0].Status != report.Healthy || ts[1].Status != report.Unhealthy {
		t.Errorf("statuses %s, %s; want healthy (finished), unhealthy (cut off)", ts[0].Status, ts[1].Status)
	}
	// Without the deadline the same facts are simply a target at its tcp layer.
	rep = run(graphOf(up), probe.Result{Upstream: "api", Targets: []probe.TargetResult{done, cut}})
	if st := upstreamOf(t, rep, "api").Targets[1].Status; st != report.Healthy {
		t.Errorf("a complete run's target: %s", st)
	}
}
