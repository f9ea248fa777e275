package diagnose

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

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

// A target the run's end cut off is not reported healthy; one that finished
// keeps its own status.
func TestUnfinishedTargetIsNotHealthy(t *testing.T) {
	up := node("api", "http://api.example.com/")
	done := httpOK("10.0.0.1:80", 200)
	cut := probe.TargetResult{Address: "10.0.0.2:80", TCP: &probe.TCPResult{Duration: time.Millisecond}} // http never ran
	rep := run(graphOf(up), probe.Result{Upstream: "api", Unfinished: context.DeadlineExceeded, Targets: []probe.TargetResult{done, cut}})
	ts := upstreamOf(t, rep, "api").Targets
	if ts[0].Status != report.Healthy || ts[1].Status != report.Unknown {
		t.Errorf("statuses %s, %s; want healthy (finished), unknown (cut off)", ts[0].Status, ts[1].Status)
	}
	// Without the deadline the same facts are simply a target at its tcp layer.
	rep = run(graphOf(up), probe.Result{Upstream: "api", Targets: []probe.TargetResult{done, cut}})
	if st := upstreamOf(t, rep, "api").Targets[1].Status; st != report.Healthy {
		t.Errorf("a complete run's target: %s", st)
	}
}

// SPEC §5: an upstream the run cut short is unknown — its run.* finding is
// never a root cause and never takes down a dependent — unless what did
// finish failed, which makes it unhealthy; the report is the worst of
// unhealthy > unknown > degraded > healthy, and the summary counts unknown.
func TestUnknownStatus(t *testing.T) {
	cut := func(name string) probe.Result {
		return probe.Result{Upstream: name, Unfinished: context.DeadlineExceeded,
			Targets: []probe.TargetResult{{Address: "10.0.0.9:80", TCP: &probe.TCPResult{Duration: time.Millisecond}}}}
	}
	g := graphOf(node("edge", "http://edge/", "api"), node("api", "http://api/"), node("db", "http://db/"))
	rep := run(g,
		probe.Result{Upstream: "edge", Targets: []probe.TargetResult{httpOK("10.0.0.1:80", 200)}},
		cut("api"),
		probe.Result{Upstream: "db", Targets: []probe.TargetResult{httpOK("10.0.0.2:80", 200)}},
	)
	api, edge := upstreamOf(t, rep, "api"), upstreamOf(t, rep, "edge")
	if api.Status != report.Unknown || codes(api.Findings)[0] != "run.deadline_exceeded/fail" || api.Findings[0].RootCause {
		t.Errorf("api: %s %v root cause %v", api.Status, codes(api.Findings), api.Findings[0].RootCause)
	}
	if edge.Status != report.Healthy || len(edge.Findings) != 0 {
		t.Errorf("edge depends on an unknown upstream, which takes nothing down: %s %v", edge.Status, codes(edge.Findings))
	}
	if len(rep.RootCauses) != 0 || rep.Status != report.Unknown {
		t.Errorf("report %s, root causes %+v", rep.Status, rep.RootCauses)
	}
	if want := (report.Summary{Total: 3, Healthy: 2, Unknown: 1}); rep.Summary != want {
		t.Errorf("summary %+v, want %+v", rep.Summary, want)
	}

	// What finished failed: unhealthy, and the failure is the root cause.
	failed := probe.Result{Upstream: "api", Unfinished: context.DeadlineExceeded,
		Targets: []probe.TargetResult{refusedTarget("10.0.0.10:80"), {Address: "10.0.0.11:80"}}} // the second never connected
	rep = run(g, probe.Result{Upstream: "edge", Targets: []probe.TargetResult{httpOK("10.0.0.1:80", 200)}}, failed,
		probe.Result{Upstream: "db", Targets: []probe.TargetResult{httpOK("10.0.0.2:80", 200)}})
	if api := upstreamOf(t, rep, "api"); api.Status != report.Unhealthy || rep.Status != report.Unhealthy {
		t.Errorf("a finished failure: api %s, report %s; want unhealthy", api.Status, rep.Status)
	}
	if len(rep.RootCauses) != 1 || rep.RootCauses[0].Code != "tcp.refused" {
		t.Errorf("root causes %+v", rep.RootCauses)
	}

	// unknown ranks between degraded and unhealthy.
	for _, tt := range []struct{ a, b, want report.Status }{
		{report.Degraded, report.Unknown, report.Unknown},
		{report.Unknown, report.Unhealthy, report.Unhealthy},
		{report.Healthy, report.Unknown, report.Unknown},
	} {
		if got := report.WorstStatus(tt.a, tt.b); got != tt.want {
			t.Errorf("WorstStatus(%s, %s) = %s, want %s", tt.a, tt.b, got, tt.want)
		}
	}
}
