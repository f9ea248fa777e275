package diagnose

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

func TestNilGraph(t *testing.T) {
	rep := diagnosed(Input{Results: []probe.Result{{Upstream: "x", Targets: []probe.TargetResult{refusedTarget("127.0.0.1:1")}}}, Now: testNow})
	if len(rep.Upstreams) != 1 || rep.Upstreams[0].Findings[0].Code != catalog.TCPRefused || rep.Status != report.Unhealthy {
		t.Errorf("report %+v", rep)
	}
}

// Diagnose changes nothing it is given and no step changes what another
// made: the same facts give the same report, however often they are
// judged, with every step at work (policy, replica rule, attribution,
// a redirect's dns finding).
func TestDiagnoseIsRepeatable(t *testing.T) {
	g := graphOf(node("edge", "http://edge/", "users", "db"), node("users", "http://users.internal:8080/health"), node("db", "tcp://10.0.0.9:5432"),
		node("svc", "http://127.0.0.1:8080/cross"))
	g.Policy.Severity = map[string]graph.PolicyAction{"http.unavailable": "fail", "dependency.unhealthy": "fail"}
	redirect := okTarget("127.0.0.1:8080")
	redirect.HTTP = &probe.HTTPResult{
		Method: "GET", URL: "http://nx.test:8080/ok", Redirects: []string{"http://nx.test:8080/ok"},
		Err: &probe.ResolveError{Name: "nx.test", DNS: nxDNS("nx.test")}, ErrPhase: "connect",
	}
	results := []probe.Result{
		{Upstream: "edge", Targets: []probe.TargetResult{httpOK("10.0.0.1:80", 503)}},
		{Upstream: "users", Targets: []probe.TargetResult{refusedTarget("10.0.0.2:8080"), httpOK("10.0.0.3:8080", 200), refusedTarget("10.0.0.4:8080")}},
		{Upstream: "db", Targets: []probe.TargetResult{refusedTarget("10.0.0.9:5432")}},
		{Upstream: "svc", Targets: []probe.TargetResult{redirect}},
	}
	first, err := json.Marshal(run(g, results...))
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		again, _ := json.Marshal(run(g, results...))
		if string(again) != string(first) {
			t.Fatalf("a second diagnosis of the same facts differs:\n%s\n%s", first, again)
		}
	}
	mustContain(t, "report", string(first), `"code":"load.replica_down"`, `"code":"dependency.unhealthy","severity":"fail"`,
		`"redirected_to":"http://nx.test:8080/ok"`, "This is most likely a symptom: edge depends on db, which is unhealthy (tcp.refused)")
}

// largeGraph is a layered graph of layers × width upstreams, each with two
// targets: upstream (l, j) depends on (l+1, j) and (l+1, j+1); every tenth
// upstream of the bottom layer refuses connections and the top layer
// answers 503, so attribution and the root-cause list have work to do.
func largeGraph(layers, width int) (*graph.Graph, []probe.Result) {
	name := func(l, j int) string { return fmt.Sprintf("u%d-%d", l, j%width) }
	var ups []*graph.Upstream
	var results []probe.Result
	for l := range layers {
		for j := range width {
			var deps []string
			if l+1 < layers {
				deps = []string{name(l+1, j), name(l+1, j+1)}
			}
			ups = append(ups, node(name(l, j), fmt.Sprintf("http://%s.internal/health", name(l, j)), deps...))
			a, b := fmt.Sprintf("10.%d.%d.1:80", l, j), fmt.Sprintf("10.%d.%d.2:80", l, j)
			targets := []probe.TargetResult{httpOK(a, 200), httpOK(b, 200)}
			switch {
			case l == layers-1 && j%10 == 0:
				targets = []probe.TargetResult{refusedTarget(a), refusedTarget(b)}
			case l == 0:
				targets = []probe.TargetResult{httpOK(a, 503), httpOK(b, 503)}
			}
			results = append(results, probe.Result{Upstream: name(l, j), Targets: targets})
		}
	}
	return graphOf(ups...), results
}

// BenchmarkDiagnoseLargeGraph measures a whole diagnosis of 500 and 2000
// upstreams (issue 11 will make attribution linear in the graph's size).
func BenchmarkDiagnoseLargeGraph(b *testing.B) {
	for _, size := range []struct{ layers, width int }{{10, 50}, {20, 100}} {
		g, results := largeGraph(size.layers, size.width)
		b.Run(fmt.Sprintf("%d upstreams", len(results)), func(b *testing.B) {
			for b.Loop() {
				diagnosed(Input{Graph: g, Results: results, Now: testNow})
			}
		})
	}
}
