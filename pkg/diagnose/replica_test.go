package diagnose

import (
	"slices"
	"strings"
	"testing"

	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

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
