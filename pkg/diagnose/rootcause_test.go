package diagnose

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

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
	// A symptom's first step points at the failing dependency at the
	// bottom, through the chain when there is one (edge depends on users
	// only through gateway).
	for up, want := range map[string]struct{ code, step string }{
		"edge": {catalog.HTTPUnavailable, "This is most likely a symptom: edge depends on users through edge → gateway → users, " +
			"and users is unhealthy (tcp.refused). Fix users first: updoc check -f updoc.yaml --only users -v"},
		"gateway": {catalog.GatewayBadGateway, "This is most likely a symptom: gateway depends on users, which is unhealthy (tcp.refused). " +
			"Fix users first: updoc check -f updoc.yaml --only users -v"},
	} {
		f, _ := findCode(findingsOf(rep, up), want.code)
		if len(f.Remediation) < 2 || f.Remediation[0] != want.step {
			t.Errorf("%s %s remediation %q", up, want.code, f.Remediation)
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

// With the middle of a chain left out of the run (--only frontend,db), the
// dependency finding names the whole path and marks what was not probed:
// it never reads as if frontend depended on db directly.
func TestDependencyPathThroughAnUpstreamNotProbed(t *testing.T) {
	whole := graphOf(
		node("frontend", "http://frontend/", "api"),
		node("api", "http://api/", "db"),
		node("db", "http://db:5432/"),
	)
	g, err := whole.Select([]string{"frontend", "db"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	rep := run(g,
		probe.Result{Upstream: "frontend", Targets: []probe.TargetResult{httpOK("10.0.0.1:80", 200)}},
		probe.Result{Upstream: "db", Targets: []probe.TargetResult{refusedTarget("10.0.0.3:5432")}},
	)
	dep, ok := findCode(findingsOf(rep, "frontend"), catalog.DependencyUnhealthy)
	if !ok {
		t.Fatalf("frontend findings %+v", findingsOf(rep, "frontend"))
	}
	mustContain(t, "message", dep.Message, "depends on unhealthy upstream db (frontend → api (not probed) → db)")
	if got := dep.Evidence["paths"].([]string); !slices.Equal(got, []string{"frontend → api (not probed) → db"}) {
		t.Errorf("paths %v", got)
	}
}
