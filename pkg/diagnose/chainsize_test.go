package diagnose_test

import (
	"bytes"
	"context"
	"encoding/json"
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
	rep, _ := diagnose.Diagnose(context.Background(), synth.Input(g, down))
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

// chainShapes are chains whose bottom is down, whose every upstream is
// down, and whose every other upstream is down.
var chainShapes = []struct {
	name string
	down func(n int) map[string]bool
}{
	{"bottom down", func(n int) map[string]bool { return map[string]bool{synth.Name(n - 1): true} }},
	{"all down", func(n int) map[string]bool { return synth.DownEvery(n, 1) }},
	{"every other down", func(n int) map[string]bool { return synth.DownEvery(n, 2) }},
}

// arrayGrowth walks a decoded JSON document and notes, for each array
// (its path with [] for elements: "upstreams[].findings[].remediation"),
// the longest one, and for each string the longest.
func arrayGrowth(v any, path string, arrays, strs map[string]int) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			p := k
			if path != "" {
				p = path + "." + k
			}
			arrayGrowth(e, p, arrays, strs)
		}
	case []any:
		arrays[path] = max(arrays[path], len(x))
		for _, e := range x {
			arrayGrowth(e, path+"[]", arrays, strs)
		}
	case string:
		strs[path] = max(strs[path], len(x))
	}
}

// No list in the JSON report of a chain grows with the chain beyond its
// bound, whichever of its upstreams are down, except those that hold one
// element per upstream or per fault (each upstream is in one of them
// once): what one upstream or one root cause says stays the same size, so
// the report grows with the chain, not with its square (issue 11). No
// string grows either, but for the digits of a count ("… 394 more").
func TestNoListOfAChainReportGrowsWithTheChain(t *testing.T) {
	perUpstream := map[string]bool{
		"upstreams": true, "root_causes": true, "root_cause_groups": true,
		"root_cause_groups[].upstreams": true, // the members of one fault
	}
	for _, shape := range chainShapes {
		t.Run(shape.name, func(t *testing.T) {
			measure := func(n int) (arrays, strs map[string]int) {
				_, js := chainReport(t, n, shape.down(n))
				var doc any
				if err := json.Unmarshal(js, &doc); err != nil {
					t.Fatal(err)
				}
				arrays, strs = map[string]int{}, map[string]int{}
				arrayGrowth(doc, "", arrays, strs)
				return arrays, strs
			}
			smallA, smallS := measure(100)
			bigA, bigS := measure(400)
			for path, n := range bigA {
				if n > smallA[path] && !perUpstream[path] {
					t.Errorf("%s: the longest %s holds %d elements in a 400-chain, %d in a 100-chain; want a bound", shape.name, path, n, smallA[path])
				}
			}
			for path, n := range bigS {
				if n > smallS[path]+2 {
					t.Errorf("%s: the longest %s string is %d bytes in a 400-chain, %d in a 100-chain; want a bound", shape.name, path, n, smallS[path])
				}
			}
		})
	}
}

// Every output of a chain's report grows linearly with the chain, in each
// shape of TestNoListOfAChainReportGrowsWithTheChain: the 200 upstreams
// that a 400-chain adds to a 200-chain cost at most twice (and a few per
// cent, for digits) what the 100 a 200-chain adds to a 100-chain cost.
// (Marginal costs, as the upstreams near a failing bottom say less than
// the others: fewer unhealthy dependencies to list.) A list that grew
// with the chain would make it 4×.
func TestChainOutputsGrowLinearly(t *testing.T) {
	outputs := []struct {
		name  string
		write func(*bytes.Buffer, *report.Report) error
	}{
		{"json", func(b *bytes.Buffer, r *report.Report) error { return report.WriteJSON(b, r) }},
		{"table", func(b *bytes.Buffer, r *report.Report) error { return report.WriteTable(b, r, report.TableOptions{}) }},
		{"table -v", func(b *bytes.Buffer, r *report.Report) error {
			return report.WriteTable(b, r, report.TableOptions{Verbose: true})
		}},
		{"markdown", func(b *bytes.Buffer, r *report.Report) error { return report.WriteMarkdown(b, r) }},
		{"junit", func(b *bytes.Buffer, r *report.Report) error { return report.WriteJUnit(b, r) }},
	}
	sizes := []int{100, 200, 400}
	for _, shape := range chainShapes {
		reps := make([]report.Report, len(sizes))
		for i, n := range sizes {
			reps[i], _ = chainReport(t, n, shape.down(n))
		}
		for _, o := range outputs {
			var s [3]int
			for i := range reps {
				var b bytes.Buffer
				if err := o.write(&b, &reps[i]); err != nil {
					t.Fatal(err)
				}
				s[i] = b.Len()
			}
			if ratio := float64(s[2]-s[1]) / float64(s[1]-s[0]); ratio > 2*1.03 {
				t.Errorf("%s, %s: %d, %d and %d bytes for chains of %v: the last 200 upstreams cost %.2f× the 100 before; want at most 2× and 3 %%",
					shape.name, o.name, s[0], s[1], s[2], sizes, ratio)
			}
		}
	}
}
