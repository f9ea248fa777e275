package cli

import (
	"context"
	"testing"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/report"
)

// A short --deadline on the demo cuts the replicas' latency sampling (its
// slow replica sleeps lab.SlowDelay per sample): replicas is then unknown (SPEC
// §5) or, when its sampling did finish, degraded by load.imbalance — never
// unhealthy, and never the root cause of anything because it was cut.
func TestDemoShortDeadlineNeverBlamesReplicas(t *testing.T) {
	for _, deadline := range []string{"200ms", "500ms", "800ms"} {
		t.Run(deadline, func(t *testing.T) {
			r := run(t, context.Background(), nil, "", "demo", "--deadline", deadline, "-o", "json")
			if r.code != ExitUnhealthy {
				t.Fatalf("demo exit %d, want 1; stderr:\n%s", r.code, r.stderr)
			}
			rep := decodeReport(t, r.stdout)
			u := findUpstream(rep, "replicas")
			if u == nil {
				t.Fatal("replicas missing from the report")
			}
			if u.Status != report.Unknown && u.Status != report.Degraded {
				t.Errorf("replicas %s: %s", u.Status, describe(u.Findings))
			}
			for _, f := range u.Findings {
				switch f.Code {
				case catalog.RunDeadlineExceeded:
					if f.RootCause {
						t.Errorf("the cut-short probe is a root cause: %s", f.Message)
					}
				case catalog.LoadImbalance:
				default:
					t.Errorf("replicas: %s %s: %s", f.Code, f.Severity, f.Message)
				}
			}
			for _, rc := range rep.RootCauses {
				if rc.Upstream == "replicas" && rc.Code != catalog.LoadImbalance {
					t.Errorf("root cause %s on replicas", rc.Code)
				}
			}
			t.Logf("--deadline %s: replicas %s, %s", deadline, u.Status, describe(u.Findings))
		})
	}
}
