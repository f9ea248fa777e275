package diagnose

import (
	"encoding/json"
	"testing"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

func TestNilGraph(t *testing.T) {
	rep := Diagnose(Input{Results: []probe.Result{{Upstream: "x", Targets: []probe.TargetResult{refusedTarget("127.0.0.1:1")}}}, Now: testNow})
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
