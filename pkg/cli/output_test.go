package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/updoc/updoc/internal/textfmt"
)

// deadTargetGraph is n upstreams behind one dead address (127.0.0.1:1,
// where nothing listens): issue 10's "500 upstreams behind one dead
// address".
func deadTargetGraph(n int) string {
	var b strings.Builder
	b.WriteString("version: 1\ndefaults: {samples: 0, timeout: 2s}\nupstreams:\n")
	for i := range n {
		fmt.Fprintf(&b, "  svc%03d: {url: \"tcp://127.0.0.1:1\"}\n", i)
	}
	return b.String()
}

// TestFiveHundredUpstreamsBehindOneDeadAddress: the table is at most 40
// lines, the grouped root cause first; JSON keeps one entry per finding
// and adds the one group.
func TestFiveHundredUpstreamsBehindOneDeadAddress(t *testing.T) {
	file := writeFile(t, "dead.yaml", deadTargetGraph(500))
	r := run(t, context.Background(), nil, "", "check", "-f", file)
	if r.code != ExitUnhealthy {
		t.Fatalf("exit %d, want 1: %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) > 40 {
		t.Errorf("%d lines, want at most 40:\n%s", len(lines), r.stdout)
	}
	want := []string{
		"updoc: UNHEALTHY — 500 upstreams: 0 healthy, 0 degraded, 500 unhealthy in ",
		"",
		"ROOT CAUSES (1)",
		"  ✗ tcp.refused on 127.0.0.1:1 — 500 upstreams (svc000, svc001, … +498)",
	}
	for i, w := range want {
		if i >= len(lines) || !strings.HasPrefix(lines[i], w) {
			t.Fatalf("line %d is not %q:\n%s", i+1, w, r.stdout)
		}
	}
	if !strings.Contains(r.stdout, " svc000 +499 ") {
		t.Errorf("the 500 upstreams do not share one row:\n%s", r.stdout)
	}

	r = run(t, context.Background(), nil, "", "check", "-f", file, "-o", "json")
	rep := decodeReport(t, r.stdout)
	if len(rep.RootCauses) != 500 {
		t.Errorf("JSON root_causes has %d entries, want one per finding (500)", len(rep.RootCauses))
	}
	var doc struct {
		Groups []struct {
			Where string `json:"where"`
		} `json:"root_cause_groups"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Groups) != 1 || doc.Groups[0].Where != "127.0.0.1:1" {
		t.Errorf("JSON root_cause_groups = %+v, want the one group at 127.0.0.1:1", doc.Groups)
	}
}

// TestDemoFirstScreen: at 80 columns, the demo's headline and every root
// cause are on the first screen of an 80×24 terminal.
func TestDemoFirstScreen(t *testing.T) {
	r := run(t, context.Background(), map[string]string{"COLUMNS": "80"}, "", "demo", "-o", "json")
	rep := decodeReport(t, r.stdout)
	r = run(t, context.Background(), map[string]string{"COLUMNS": "80"}, "", "demo")
	if r.code != ExitUnhealthy {
		t.Fatalf("exit %d, want 1: %s", r.code, r.stderr)
	}
	lines := strings.Split(r.stdout, "\n")
	screen := strings.Join(lines[:min(24, len(lines))], "\n")
	if !strings.HasPrefix(screen, "updoc: UNHEALTHY — ") {
		t.Errorf("the headline does not lead:\n%s", screen)
	}
	groups := rep.RootCauseGroups()
	if !strings.Contains(screen, fmt.Sprintf("ROOT CAUSES (%d)", len(groups))) {
		t.Errorf("no ROOT CAUSES (%d) on the first screen:\n%s", len(groups), screen)
	}
	for _, g := range groups {
		if !strings.Contains(screen, g.Code+" "+g.Upstreams[0]) && !strings.Contains(screen, g.Code+" on ") {
			t.Errorf("root cause %s on %s is not on the first screen:\n%s", g.Code, g.Upstreams[0], screen)
		}
	}
	for i, l := range lines[:min(24, len(lines))] {
		if textfmt.Width(l) > 80 {
			t.Errorf("line %d is %d columns: %q", i+1, textfmt.Width(l), l)
		}
	}
}

// TestPipeHonoursCOLUMNS: in a pipe the output is laid out for COLUMNS
// (report.DefaultWidth without it, or when it is not a positive number):
// the 75-column headline is wrapped at 60 columns only.
func TestPipeHonoursCOLUMNS(t *testing.T) {
	file := writeFile(t, "one.yaml", "version: 1\ndefaults: {samples: 0, timeout: 2s}\nupstreams:\n  a-rather-long-upstream-name: {url: \"tcp://127.0.0.1:1\"}\n")
	for _, tt := range []struct {
		columns string
		wrapped bool
	}{{"60", true}, {"200", false}, {"", false}, {"wide", false}, {"-5", false}} {
		env := map[string]string{}
		if tt.columns != "" {
			env["COLUMNS"] = tt.columns
		}
		r := run(t, context.Background(), env, "", "check", "-f", file)
		head, _, _ := strings.Cut(r.stdout, "\n")
		if wrapped := !strings.Contains(head, " unhealthy in "); wrapped != tt.wrapped || textfmt.Width(head) > 60 && tt.wrapped {
			t.Errorf("COLUMNS=%q: headline %q, want it wrapped: %v", tt.columns, head, tt.wrapped)
		}
	}
}
