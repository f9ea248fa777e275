package diagnose

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
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
	}{
		{name: "graph file", graph: file("deploy/updoc.yaml"),
			check: "updoc check -f deploy/updoc.yaml --only users", symptom: "Fix users first: updoc check -f deploy/updoc.yaml --only users -v",
			graphCheck: "updoc graph -f deploy/updoc.yaml --check"},
		{name: "file name with a space", graph: file("my graphs/updoc.yaml"),
			check: "updoc check -f 'my graphs/updoc.yaml' --only users", symptom: "Fix users first: updoc check -f 'my graphs/updoc.yaml' --only users -v",
			graphCheck: "updoc graph -f 'my graphs/updoc.yaml' --check"},
		{name: "stdin", graph: file(graph.StdinName),
			check: "updoc check --only users", symptom: "Fix users first: updoc check --only users -v", graphCheck: "updoc graph --check"},
		{name: "no file name", graph: file(""),
			check: "updoc check --only users", symptom: "Fix users first: updoc check --only users -v", graphCheck: "updoc graph --check"},
		{name: "demo", graph: file("updoc-lab.yaml"), rerun: catalog.RerunWith("updoc demo"),
			check: "updoc demo --only users", symptom: "Fix users first: updoc demo --only users -v", graphCheck: "updoc demo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := Diagnose(Input{Graph: tt.graph, Results: chainFixture(tt.graph), Now: testNow, Rerun: tt.rerun})
			users, _ := findCode(findingsOf(rep, "users"), catalog.TCPRefused)
			edge, _ := findCode(findingsOf(rep, "edge"), catalog.HTTPUnavailable)
			dep, _ := findCode(findingsOf(rep, "edge"), catalog.DependencyUnhealthy)
			all := strings.Join(slices.Concat(users.Remediation, edge.Remediation, dep.Remediation), "\n")
			if len(edge.Remediation) == 0 || !strings.HasSuffix(edge.Remediation[0], tt.symptom) {
				t.Errorf("symptom step = %q, want it to end with %q", edge.Remediation, tt.symptom)
			}
			mustContain(t, "edge remediation", strings.Join(edge.Remediation, "\n"), "Check the service's dependencies: "+tt.graphCheck+"\n")
			mustContain(t, "dependency.unhealthy remediation", strings.Join(dep.Remediation, "\n"),
				"see their own findings: "+tt.check,
				"See the whole picture: "+tt.graphCheck)
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
	rep := Diagnose(Input{Graph: g, Results: res, Now: testNow})
	f, ok := findCode(findingsOf(rep, g.Upstreams[1].Name), catalog.HTTPUnavailable)
	if !ok {
		t.Fatalf("no http.unavailable: %v", codes(findingsOf(rep, g.Upstreams[1].Name)))
	}
	steps := strings.Join(f.Remediation, "\n")
	mustContain(t, "probe remediation", steps, "dependencies: updoc graph -f FILE --check")
	if strings.Contains(steps, "updoc check") || strings.Contains(steps, "updoc graph --check") {
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

// TestLatencyNotJudgedWhenHTTPFailed: a target whose http layer failed has
// its latency layer skipped and no latency.* finding; its samples stay as
// facts, and load.imbalance compares only the targets that answered well.
func TestLatencyNotJudgedWhenHTTPFailed(t *testing.T) {
	up := node("api", "http://api.example.com/")
	up.Expect.MaxLatency = 50 * time.Millisecond
	mk := func(addr string, status int, samples ...float64) probe.TargetResult {
		tr := httpOK(addr, status)
		tr.Latency = &probe.LatencyResult{Samples: msSamples(samples...)}
		return tr
	}
	slow := []float64{400, 400, 400, 400, 400, 400, 400, 400, 400, 4000}
	fast := []float64{5, 5, 5, 5, 5, 5, 5, 5, 5, 5}

	// One target, 503: latency skip, no latency.slow nor high_spread.
	rep := run(graphOf(up), probe.Result{Upstream: "api", DNS: dnsOK("api.example.com", "10.0.0.1"),
		Targets: []probe.TargetResult{mk("10.0.0.1:80", 503, slow...)}})
	u := upstreamOf(t, rep, "api")
	if u.Layers.HTTP != report.LFail || u.Layers.Latency != report.Skip {
		t.Errorf("layers %+v, want http fail, latency skip", u.Layers)
	}
	for _, f := range u.Findings {
		if f.Layer == "latency" || strings.HasPrefix(f.Code, "latency.") || strings.HasPrefix(f.Code, "load.") {
			t.Errorf("latency judged for a failed target: %s %s", f.Code, f.Message)
		}
	}
	if u.Targets[0].LatencyMS != nil {
		t.Errorf("a skipped latency layer shows numbers: %+v", u.Targets[0].LatencyMS)
	}

	// Three replicas: the slow one answers 502. With it left out, only two
	// targets remain: too few for load.imbalance, and no finding about them.
	rep = run(graphOf(node("pool", "http://pool.example.com/")), probe.Result{Upstream: "pool", DNS: dnsOK("pool.example.com", "10.0.0.1", "10.0.0.2", "10.0.0.3"),
		Targets: []probe.TargetResult{mk("10.0.0.1:80", 200, fast...), mk("10.0.0.2:80", 200, fast...), mk("10.0.0.3:80", 502, slow...)}})
	u = upstreamOf(t, rep, "pool")
	for _, f := range u.Findings {
		if f.Code == catalog.LoadImbalance || f.Code == catalog.LatencyHighSpread {
			t.Errorf("%s on %s: a failed target was compared", f.Code, f.Target)
		}
	}
	if got := u.Targets[2].HTTP; got == nil || u.Targets[2].Status != report.Unhealthy {
		t.Errorf("target 3 = %+v", u.Targets[2])
	}
	if u.Layers.Latency != report.Pass {
		t.Errorf("latency layer %s, want pass (the passing targets' latency)", u.Layers.Latency)
	}

	// The same replicas all answering 200: the slow one is singled out.
	rep = run(graphOf(node("pool", "http://pool.example.com/")), probe.Result{Upstream: "pool",
		Targets: []probe.TargetResult{mk("10.0.0.1:80", 200, fast...), mk("10.0.0.2:80", 200, fast...), mk("10.0.0.3:80", 200, slow...)}})
	if _, ok := findCode(findingsOf(rep, "pool"), catalog.LoadImbalance); !ok {
		t.Errorf("control: no load.imbalance among %v", codes(findingsOf(rep, "pool")))
	}
}

// TestQAMessages: redirect loops, a DNS port with nothing listening, and
// timeouts named by the configured timeout.
func TestQAMessages(t *testing.T) {
	const addr = "127.0.0.1:28080"
	redirect := func(url string, loc string, followed ...string) probe.TargetResult {
		tr := httpOK(addr, 302)
		tr.HTTP.URL = url
		tr.HTTP.TooManyRedirects = true
		tr.HTTP.Redirects = followed
		tr.HTTP.Header = http.Header{"Location": {loc}}
		return tr
	}
	dnsFail := func(errs ...error) *probe.DNSResult {
		r := &probe.DNSResult{Name: "api.lab.test"}
		for _, e := range errs {
			r.Queries = append(r.Queries, probe.DNSQuery{Resolver: graph.Resolver{Kind: graph.ResolverUDP, Addr: "127.0.0.1:28053"}, Server: "127.0.0.1:28053", QType: "A", Err: e, Duration: 1400 * time.Microsecond})
		}
		return r
	}
	refusedUDP := opErr("read", 111) // ECONNREFUSED on the UDP read
	httpTimeout := func(took time.Duration) probe.TargetResult {
		tr := okTarget(addr)
		tr.HTTP = &probe.HTTPResult{Method: "GET", URL: "http://" + addr + "/hang", Err: context.DeadlineExceeded, ErrPhase: "headers",
			Timings: probe.Timings{Total: took}}
		return tr
	}
	withTimeout := func(u *graph.Upstream, d time.Duration) *graph.Upstream { u.Timeout = d; return u }

	tests := []struct {
		name    string
		up      *graph.Upstream
		res     probe.Result
		timeout time.Duration // Input.Timeout
		code    string
		want    []string
		not     []string
	}{
		{name: "self redirect", up: node("redir", "http://"+addr+"/redir"),
			res:  probe.Result{Targets: []probe.TargetResult{redirect("http://"+addr+"/redir", "/redir")}},
			code: catalog.HTTPTooManyRedirects, want: []string{"redirect loop: http://" + addr + "/redir redirects to itself"},
			not: []string{"0 redirects", "more than 5"}},
		{name: "two-step loop", up: node("redir", "http://"+addr+"/a"),
			res:  probe.Result{Targets: []probe.TargetResult{redirect("http://"+addr+"/b", "/a", "http://"+addr+"/b")}},
			code: catalog.HTTPTooManyRedirects, want: []string{"redirect loop: http://" + addr + "/b redirects back to http://" + addr + "/a after 1 redirect"}},
		{name: "too many redirects", up: node("redir", "http://"+addr+"/1"),
			res: probe.Result{Targets: []probe.TargetResult{redirect("http://"+addr+"/6", "/7",
				"http://"+addr+"/2", "http://"+addr+"/3", "http://"+addr+"/4", "http://"+addr+"/5", "http://"+addr+"/6")}},
			code: catalog.HTTPTooManyRedirects, want: []string{"more than 5 redirects (the next Location: http://" + addr + "/7)"}, not: []string{"loop"}},
		{name: "nothing listens on the resolver port", up: node("api", "http://api.lab.test/"),
			res:  probe.Result{DNS: dnsFail(refusedUDP, refusedUDP)},
			code: catalog.DNSTimeout, want: []string{"no answer for api.lab.test.: nothing listens for DNS at 127.0.0.1:28053 (connection refused)"},
			not: []string{"within", "read:"}},
		{name: "dns timeout names the run's timeout", up: node("api", "http://api.lab.test/"),
			res: probe.Result{DNS: func() *probe.DNSResult {
				r := dnsFail(context.DeadlineExceeded)
				r.Queries[0].Duration = 301 * time.Millisecond
				return r
			}()},
			timeout: 300 * time.Millisecond,
			code:    catalog.DNSTimeout, want: []string{"within the 300ms timeout"}, not: []string{"301"}},
		{name: "http timeout names the graph's timeout", up: withTimeout(node("hung", "http://"+addr+"/hang"), 300*time.Millisecond),
			res: probe.Result{Targets: []probe.TargetResult{httpTimeout(301 * time.Millisecond)}}, timeout: 5 * time.Second,
			code: catalog.HTTPTimeout, want: []string{"no response headers from " + addr + " within the 300ms timeout"}, not: []string{"301"}},
		{name: "connect timeout names the run's timeout", up: node("bh", "http://10.255.255.1:80/"),
			res: probe.Result{Targets: []probe.TargetResult{{Address: "10.255.255.1:80",
				TCP: &probe.TCPResult{Err: errDialTimeout, Duration: 2001 * time.Millisecond}}}},
			timeout: 2 * time.Second,
			code:    catalog.TCPTimeout, want: []string{"connect to 10.255.255.1:80 did not complete within the 2s timeout"}},
		{name: "an OS timeout before ours gives the time measured", up: node("bh", "http://10.255.255.1:80/"),
			res: probe.Result{Targets: []probe.TargetResult{{Address: "10.255.255.1:80",
				TCP: &probe.TCPResult{Err: errETimedOut, Duration: 1200 * time.Millisecond}}}},
			timeout: 5 * time.Second,
			code:    catalog.TCPTimeout, want: []string{"timed out after 1.20s"}, not: []string{"5s timeout"}},
		{name: "timeout unknown: the time measured", up: node("hung", "http://"+addr+"/hang"),
			res:  probe.Result{Targets: []probe.TargetResult{httpTimeout(301 * time.Millisecond)}},
			code: catalog.HTTPTimeout, want: []string{"within 301ms"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.res.Upstream = tt.up.Name
			if tt.timeout != 0 && tt.up.Timeout == graph.DefaultTimeout {
				// The run's --timeout, for an upstream whose graph sets none.
				tt.up.Timeout = tt.timeout
			}
			rep := Diagnose(Input{Graph: graphOf(tt.up), Results: []probe.Result{tt.res}, Now: testNow})
			f, ok := findCode(findingsOf(rep, tt.up.Name), tt.code)
			if !ok {
				t.Fatalf("no %s: %v", tt.code, codes(findingsOf(rep, tt.up.Name)))
			}
			mustContain(t, "message", f.Message, tt.want...)
			for _, n := range tt.not {
				if strings.Contains(f.Message, n) {
					t.Errorf("message %q contains %q", f.Message, n)
				}
			}
		})
	}
}
