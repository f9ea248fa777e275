package diagnose_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/updoc/updoc/bench/synth"
	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/diagnose"
	"github.com/updoc/updoc/pkg/report"
)

// chainReport diagnoses a chain of n upstreams (each depends on the next)
// with the named ones refusing connections, and writes its JSON report.
func chainReport(t *testing.T, n int, down map[string]bool) (report.Report, []byte) {
	t.Helper()
	samples := 0
	g, err := synth.Load(synth.Defaults{Resolvers: []string{"127.0.0.1:5353"}, Samples: &samples},
		synth.Chain(n, synth.SharedHost("svc.bench.test", synth.Ports(20))))
	if err != nil {
		t.Fatal(err)
	}
	rep := diagnose.Diagnose(synth.Input(g, down))
	var buf bytes.Buffer
	if err := report.WriteJSON(&buf, &rep); err != nil {
		t.Fatal(err)
	}
	return rep, buf.Bytes()
}

// What every member of a 2,000-upstream chain whose bottom is down says
// about it is bounded, not the length of the chain: its dependency path
// shows the first and last hops and how many more (message, paths
// evidence, symptom step), so the report grows with the chain, not with
// its square (issue 11: at most 5 MB; 61 MB before).
func TestChainReportIsBoundedInSize(t *testing.T) {
	const n = 2000
	bottom := synth.Name(n - 1)
	rep, js := chainReport(t, n, map[string]bool{bottom: true})
	if len(js) > 5<<20 {
		t.Errorf("the JSON report of a %d-chain whose bottom is down is %d bytes; want at most 5 MiB", n, len(js))
	}
	if len(rep.RootCauses) != 1 || len(rep.RootCauses[0].Affects) != n-1 {
		t.Fatalf("root causes %+v; want the bottom's, affecting the other %d", len(rep.RootCauses), n-1)
	}
	top := rep.Upstreams[0]
	var dep *report.Finding
	for i, f := range top.Findings {
		if f.Code == catalog.DependencyUnhealthy {
			dep = &top.Findings[i]
		}
	}
	if dep == nil {
		t.Fatalf("%s has no %s finding: %+v", top.Name, catalog.DependencyUnhealthy, top.Findings)
	}
	path := "u00000 → u00001 → u00002 → … 1994 more → u01997 → u01998 → " + bottom
	if want := "depends on unhealthy upstream " + bottom + " (" + path + ")"; dep.Message != want {
		t.Errorf("message %q\nwant    %q", dep.Message, want)
	}
	if got := dep.Evidence["paths"].([]string); len(got) != 1 || got[0] != path {
		t.Errorf("paths evidence %q; want [%q]", got, path)
	}
	// The upstream next to the bottom: a path of two names, whole.
	next := rep.Upstreams[n-2]
	for _, f := range next.Findings {
		if f.Code == catalog.DependencyUnhealthy && f.Message != "depends on unhealthy upstream "+bottom {
			t.Errorf("%s: message %q", next.Name, f.Message)
		}
	}
	// A path of six names is still shown whole.
	six := rep.Upstreams[n-6]
	for _, f := range six.Findings {
		if f.Code == catalog.DependencyUnhealthy && !strings.Contains(f.Message, "(u01994 → u01995 → u01996 → u01997 → u01998 → u01999)") {
			t.Errorf("%s: message %q", six.Name, f.Message)
		}
	}
}

// On top of a chain of failing upstreams, the dependency.unhealthy message
// names the first ten and three paths through others, and how many more;
// the evidence lists the first ten with their paths and how many there
// are, and the step that shows their findings names one upstream
// (--with-deps), not every one below it.
func TestDependencyMessageOfALongFailingChainIsOneBoundedLine(t *testing.T) {
	const n = 20
	rep, _ := chainReport(t, n, synth.DownEvery(n, 1))
	for _, f := range rep.Upstreams[0].Findings {
		if f.Code != catalog.DependencyUnhealthy {
			continue
		}
		want := "depends on unhealthy upstreams u00001, u00002, u00003, u00004, u00005, u00006, u00007, u00008, u00009, u00010, … and 9 more" +
			" (u00000 → u00001 → u00002; u00000 → u00001 → u00002 → u00003; u00000 → u00001 → u00002 → u00003 → u00004; … and 15 more)"
		if f.Message != want {
			t.Errorf("message %q\nwant    %q", f.Message, want)
		}
		deps, paths := f.Evidence["unhealthy_dependencies"].([]string), f.Evidence["paths"].([]string)
		if len(deps) != 10 || deps[0] != "u00001" || deps[9] != "u00010" {
			t.Errorf("unhealthy_dependencies %q; want u00001 … u00010", deps)
		}
		if len(paths) != 10 || paths[0] != "u00000 → u00001" || paths[9] != "u00000 → u00001 → u00002 → … 5 more → u00008 → u00009 → u00010" {
			t.Errorf("paths %q; want the path to each of u00001 … u00010", paths)
		}
		if got := f.Evidence["unhealthy_dependencies_total"]; got != n-1 {
			t.Errorf("unhealthy_dependencies_total = %v; want %d", got, n-1)
		}
		if want := "Fix the dependencies first; see their own findings: updoc check -f bench.yaml --only u00000 --with-deps"; f.Remediation[0] != want {
			t.Errorf("step 1 %q\nwant   %q", f.Remediation[0], want)
		}
		return
	}
	t.Fatalf("no %s finding on %s", catalog.DependencyUnhealthy, rep.Upstreams[0].Name)
}
