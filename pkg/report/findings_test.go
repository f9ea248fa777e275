package report

import (
	"slices"
	"testing"
)

// TestFindingOrder: worst severity first, then root causes before symptoms,
// then dependency.unhealthy last; report order otherwise. PrimaryFinding is
// the first of that order.
func TestFindingOrder(t *testing.T) {
	f := func(code string, sev Severity, root bool) Finding {
		return Finding{Code: code, Severity: sev, RootCause: root}
	}
	for _, tt := range []struct {
		name     string
		findings []Finding
		want     []string
	}{
		{"none", nil, nil},
		{"severity first", []Finding{f("a.warn", Warn, true), f("b.fail", Fail, false)}, []string{"b.fail", "a.warn"}},
		{"root cause before symptom", []Finding{f("a.symptom", Fail, false), f("b.root", Fail, true)}, []string{"b.root", "a.symptom"}},
		{"dependency last", []Finding{f("dependency.unhealthy", Fail, false), f("gateway.bad_gateway", Fail, false)},
			[]string{"gateway.bad_gateway", "dependency.unhealthy"}},
		{"a failing dependency still beats a warning", []Finding{f("api.deprecated", Warn, false), f("dependency.unhealthy", Fail, false)},
			[]string{"dependency.unhealthy", "api.deprecated"}},
		{"report order otherwise", []Finding{f("x.one", Warn, false), f("x.two", Warn, false), f("x.three", Warn, false)},
			[]string{"x.one", "x.two", "x.three"}},
		{"all rules", []Finding{
			f("dependency.unhealthy", Warn, false), f("a.fail", Fail, false), f("b.warn_root", Warn, true),
			f("dependency.unhealthy", Fail, false), f("c.fail_root", Fail, true), f("d.warn", Warn, false),
		}, []string{"c.fail_root", "a.fail", "dependency.unhealthy", "b.warn_root", "d.warn", "dependency.unhealthy"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			u := &Upstream{Findings: tt.findings}
			var got []string
			for _, k := range u.SortedFindings() {
				got = append(got, u.Findings[k].Code)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("order %v, want %v", got, tt.want)
			}
			if p := u.PrimaryFinding(); len(tt.want) == 0 && p != -1 || len(tt.want) > 0 && p != u.SortedFindings()[0] {
				t.Errorf("PrimaryFinding = %d, not the first of %v", p, u.SortedFindings())
			}
		})
	}
}
