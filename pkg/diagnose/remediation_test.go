package diagnose

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
)

// chainFixture: edge depends on users, which refuses connections; edge
// answers 503 (a symptom) and users' connect is refused (the root cause).
func chainFixture(g *graph.Graph) []probe.Result {
	edge := httpOK("10.0.0.1:80", 503)
	return []probe.Result{
		{Upstream: "edge", Targets: []probe.TargetResult{edge}},
		{Upstream: "users", Targets: []probe.TargetResult{{Address: "10.0.0.2:8080", TCP: &probe.TCPResult{Err: errRefused}}}},
	}
}

// TestSuggestedCommands: every updoc command a remediation step suggests
// can be pasted where the report was made: it names the graph file, or the
// URL for `updoc probe`, or the demo.
func TestSuggestedCommands(t *testing.T) {
	file := func(name string) *graph.Graph {
		g := graphOf(node("edge", "http://edge/", "users"), node("users", "http://users.internal:8080/health"))
		g.File = name
		return g
	}
	tests := []struct {
		name  string
		graph *graph.Graph
		rerun func(...string) string
		// want: users' re-check, the symptom step's command, the graph view.
		check, symptom, graphCheck string
		// note: what a step's prose says before its command (-f -: " (with
		// the same graph on stdin)").
		note string
	}{
		{name: "graph file", graph: file("deploy/updoc.yaml"),
			check: "updoc check -f deploy/updoc.yaml --only users", symptom: "Fix users first: updoc check -f deploy/updoc.yaml --only users -v",
			graphCheck: "updoc graph -f deploy/updoc.yaml --check"},
		{name: "file name with a space", graph: file("my graphs/updoc.yaml"),
			check: "updoc check -f 'my graphs/updoc.yaml' --only users", symptom: "Fix users first: updoc check -f 'my graphs/updoc.yaml' --only users -v",
			graphCheck: "updoc graph -f 'my graphs/updoc.yaml' --check"},
		// QA A4: before, "see their own findings: (feed it the same graph
		// on stdin): updoc check -f - --only users".
		{name: "stdin", graph: file(graph.StdinName),
			check:      "updoc check -f - --only users",
			symptom:    "Fix users first (with the same graph on stdin): updoc check -f - --only users -v",
			graphCheck: "updoc graph -f - --check", note: " (with the same graph on stdin)"},
		{name: "no file name", graph: file(""),
			check: "updoc check --only users", symptom: "Fix users first: updoc check --only users -v", graphCheck: "updoc graph --check"},
		{name: "demo", graph: file("updoc-lab.yaml"), rerun: catalog.RerunWith("updoc demo"),
			check: "updoc demo --only users", symptom: "Fix users first: updoc demo --only users -v", graphCheck: "updoc demo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := diagnosed(Input{Graph: tt.graph, Results: chainFixture(tt.graph), Now: testNow, Rerun: tt.rerun})
			users, _ := findCode(findingsOf(rep, "users"), catalog.TCPRefused)
			edge, _ := findCode(findingsOf(rep, "edge"), catalog.HTTPUnavailable)
			dep, _ := findCode(findingsOf(rep, "edge"), catalog.DependencyUnhealthy)
			all := strings.Join(slices.Concat(users.Remediation, edge.Remediation, dep.Remediation), "\n")
			if len(edge.Remediation) == 0 || !strings.HasSuffix(edge.Remediation[0], tt.symptom) {
				t.Errorf("symptom step = %q, want it to end with %q", edge.Remediation, tt.symptom)
			}
			mustContain(t, "edge remediation", strings.Join(edge.Remediation, "\n"), "Check the service's dependencies"+tt.note+": "+tt.graphCheck+"\n")
			mustContain(t, "dependency.unhealthy remediation", strings.Join(dep.Remediation, "\n"),
				"see their own findings"+tt.note+": "+tt.check,
				"See the whole picture"+tt.note+": "+tt.graphCheck)
			if strings.Contains(tt.check, " -f ") && (strings.Contains(all, "updoc check --only") || strings.Contains(all, "updoc graph --check")) {
				t.Errorf("a step drops -f FILE:\n%s", all)
			}
			if tt.name == "demo" && (strings.Contains(all, "updoc check") || strings.Contains(all, "updoc graph")) {
				t.Errorf("demo steps suggest a command that needs a graph file:\n%s", all)
			}
		})
	}

	// updoc probe: re-running means probing the URL again.
	g, err := graph.FromURLs([]string{"http://127.0.0.1:28080/health", "http://127.0.0.1:28080/500?x=1&y=2"})
	if err != nil {
		t.Fatal(err)
	}
	res := []probe.Result{
		{Upstream: g.Upstreams[0].Name, Targets: []probe.TargetResult{httpOK("127.0.0.1:28080", 200)}},
		{Upstream: g.Upstreams[1].Name, Targets: []probe.TargetResult{httpOK("127.0.0.1:28080", 503)}},
	}
	rep := diagnosed(Input{Graph: g, Results: res, Now: testNow})
	f, ok := findCode(findingsOf(rep, g.Upstreams[1].Name), catalog.HTTPUnavailable)
	if !ok {
		t.Fatalf("no http.unavailable: %v", codes(findingsOf(rep, g.Upstreams[1].Name)))
	}
	steps := strings.Join(f.Remediation, "\n")
	// QA A4: no graph, so no step about what it depends on (before: "Check
	// the service's dependencies: updoc probe URL1 URL2").
	if strings.Contains(steps, "depend") {
		t.Errorf("a probe step speaks of dependencies the run knows nothing of:\n%s", steps)
	}
	if strings.Contains(steps, "updoc check") || strings.Contains(steps, "updoc graph") {
		t.Errorf("probe steps suggest a command that needs the graph file the run did not have:\n%s", steps)
	}
	mustContain(t, "probe remediation", steps, "re-check: updoc probe 'http://127.0.0.1:28080/500?x=1&y=2'")
	if got := DefaultRerun(g)(g.Upstreams[0].Name); got != "updoc probe http://127.0.0.1:28080/health" {
		t.Errorf("DefaultRerun(probe graph) = %q", got)
	}
}

// TestNoHealthyUpstreamAddDependencyStep: the step that suggests adding the
// backend as a dependency is left out when the proxy already has one.
func TestNoHealthyUpstreamAddDependencyStep(t *testing.T) {
	envoy := func() probe.TargetResult {
		tr := httpOK("10.0.0.1:80", 503)
		tr.HTTP.Header = http.Header{"Server": {"envoy"}, "Content-Type": {"text/plain"}}
		tr.HTTP.Body = []byte("no healthy upstream")
		return tr
	}
	for _, deps := range [][]string{nil, {"backend"}} {
		ups := []*graph.Upstream{node("gw", "http://gw/", deps...)}
		results := []probe.Result{{Upstream: "gw", Targets: []probe.TargetResult{envoy()}}}
		if deps != nil {
			ups = append(ups, node("backend", "http://backend/"))
			results = append(results, probe.Result{Upstream: "backend", Targets: []probe.TargetResult{httpOK("10.0.0.2:80", 200)}})
		}
		rep := run(graphOf(ups...), results...)
		f, ok := findCode(findingsOf(rep, "gw"), catalog.GatewayNoHealthyUpstream)
		if !ok {
			t.Fatalf("depends_on %v: no %s: %v", deps, catalog.GatewayNoHealthyUpstream, codes(findingsOf(rep, "gw")))
		}
		has := slices.ContainsFunc(f.Remediation, func(s string) bool { return strings.Contains(s, "as a dependency of gw") })
		if has != (deps == nil) {
			t.Errorf("depends_on %v: add-a-dependency step present = %v; steps %q", deps, has, f.Remediation)
		}
	}
}
