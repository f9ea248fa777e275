package diagnose

import (
	"testing"

	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
)

func TestExpectedStatusIsNotAFinding(t *testing.T) {
	u := node("users", "http://users.internal:8080/health")
	u.Expect.Status = []graph.StatusRange{{Lo: 401, Hi: 401}}
	tr := httpOK("10.0.0.7:8080", 401)
	rep := run(graphOf(u), probe.Result{Upstream: "users", Targets: []probe.TargetResult{tr}})
	if fs := findingsOf(rep, "users"); len(fs) != 0 || rep.Status != report.Healthy {
		t.Errorf("expected 401: status %s findings %v", rep.Status, codes(fs))
	}
}
