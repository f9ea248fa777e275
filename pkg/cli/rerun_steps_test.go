package cli

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/report"
)

// allSteps joins every remediation step of rep.
func allSteps(rep report.Report) string {
	var b strings.Builder
	for _, u := range rep.Upstreams {
		for _, f := range u.Findings {
			for _, s := range f.Remediation {
				b.WriteString(s + "\n")
			}
		}
	}
	return b.String()
}

// Steps that re-run updoc say how the user ran it: probe with the same
// switches (a secret header redacted) and no graph file.
func TestProbeRerunStepsCarryTheSwitches(t *testing.T) {
	url, _ := testserver.Recording(t, http.StatusServiceUnavailable, "down")
	_, rep := probeJSON(t, url+"/deg", "-X", "PUT", "-H", "X-Team: core", "-H", "Authorization: Bearer s3cret", "-d", "x=1")
	steps := allSteps(rep)
	want := "updoc probe -X PUT -H 'X-Team: core' -H 'Authorization: [redacted]' -d x=1 " + url + "/deg"
	if !strings.Contains(steps, want) {
		t.Errorf("no step re-runs %q:\n%s", want, steps)
	}
	if strings.Contains(steps, "updoc graph") || strings.Contains(steps, "s3cret") {
		t.Errorf("a probe step names a graph file or the secret:\n%s", steps)
	}
}

// The re-run step of probe carries --timeout and --samples when they were
// given (QA A4).
func TestProbeRerunStepsCarryTimeoutAndSamples(t *testing.T) {
	url, _ := testserver.Recording(t, http.StatusServiceUnavailable, "down")
	_, rep := probeJSON(t, url+"/deg", "--timeout", "2s", "--samples", "0")
	steps := allSteps(rep)
	if want := "re-check: updoc probe --timeout 2s --samples 0 " + url + "/deg"; !strings.Contains(steps, want) {
		t.Errorf("no step re-runs %q:\n%s", want, steps)
	}
}

// With -f -, the steps' prose says to feed the same graph on stdin (QA
// A4: not "…: (feed it the same graph on stdin): updoc check -f -").
func TestStdinRerunStepsSayFeedTheSameGraph(t *testing.T) {
	url, _ := testserver.Recording(t, http.StatusServiceUnavailable, "down")
	file := "version: 1\nupstreams:\n  api:\n    url: " + url + "/deg\n    samples: 0\n"
	r := run(t, context.Background(), nil, file, "check", "-f", "-", "-o", "json")
	steps := allSteps(decodeReport(t, r.stdout))
	if !strings.Contains(steps, "re-check (with the same graph on stdin): updoc check -f - --only api") ||
		strings.Contains(steps, "updoc check --only") || strings.Contains(steps, "updoc graph --check") {
		t.Errorf("stdin steps:\n%s", steps)
	}
}

// The demo's steps re-run the demo.
func TestDemoRerunStepsRerunTheDemo(t *testing.T) {
	r := run(t, context.Background(), nil, "", "demo", "--only", "maintenance", "-o", "json")
	steps := allSteps(decodeReport(t, r.stdout))
	if !strings.Contains(steps, "updoc demo --only maintenance") || strings.Contains(steps, "updoc check") {
		t.Errorf("demo steps:\n%s", steps)
	}
}
