package cli

import (
	"strings"
	"testing"

	"github.com/updoc/updoc/pkg/iostreams"
	"github.com/updoc/updoc/pkg/report"
)

// The table is laid out for the terminal's height: taller than it, the
// table ends with the recap; in a pipe (or on a tall enough terminal) it
// does not.
func TestTableRecapFollowsTheTerminalHeight(t *testing.T) {
	rep := report.Report{
		Schema: report.Schema, Status: report.Unhealthy, Summary: report.Summary{Total: 1, Unhealthy: 1},
		RootCauses: []report.RootCause{{Upstream: "db", Code: "tcp.refused", Severity: report.Fail, Target: "127.0.0.1:1", Message: "127.0.0.1:1 refused the connection"}},
		Upstreams: []report.Upstream{{Name: "db", URL: "tcp://127.0.0.1:1", Status: report.Unhealthy, Findings: []report.Finding{{
			Code: "tcp.refused", Severity: report.Fail, Layer: "tcp", Target: "127.0.0.1:1", RootCause: true,
			Message: "127.0.0.1:1 refused the connection", Remediation: []string{"Confirm from this machine: nc -vz 127.0.0.1 1"},
		}}}},
	}
	for _, c := range []struct {
		name      string
		tty       bool
		height    int
		wantRecap bool
	}{
		{"terminal shorter than the table", true, 5, true},
		{"terminal taller than the table", true, 200, false},
		{"pipe", false, 5, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			ios.SetStdoutTTY(c.tty)
			ios.SetTerminalSize(80, c.height)
			r := rep
			if err := render(ios, &r, RunFlags{Output: "table"}, false, 80); err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(out.String(), "── SUMMARY ──"); got != c.wantRecap {
				t.Errorf("recap shown = %v, want %v:\n%s", got, c.wantRecap, out.String())
			}
		})
	}
}
