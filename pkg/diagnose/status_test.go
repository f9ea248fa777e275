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
	if ts[0].Status != report.Healthy || ts[1].Status != report.Unhealthy {
		t.Errorf("statuses %s, %s; want healthy (finished), unhealthy (cut off)", ts[0].Status, ts[1].Status)
	}
	// Without the deadline the same facts are simply a target at its tcp layer.
	rep = run(graphOf(up), probe.Result{Upstream: "api", Targets: []probe.TargetResult{done, cut}})
	if st := upstreamOf(t, rep, "api").Targets[1].Status; st != report.Healthy {
		t.Errorf("a complete run's target: %s", st)
	}
}
