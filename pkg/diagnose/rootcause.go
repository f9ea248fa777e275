package diagnose

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/report"
)

// graphIndex holds the graph of the run and where each upstream sits in
// it. The graph queries themselves (dependencies, dependents, transitive
// closure) are pkg/graph's: one implementation.
type graphIndex struct {
	g      *graph.Graph // nil: no graph (every result is its own node)
	byName map[string]*graph.Upstream
	order  map[string]int
}

func newGraphIndex(g *graph.Graph) graphIndex {
	gi := graphIndex{g: g, byName: map[string]*graph.Upstream{}, order: map[string]int{}}
	if g == nil {
		return gi
	}
	for i, u := range g.Upstreams {
		gi.byName[u.Name] = u
		gi.order[u.Name] = i
	}
	return gi
}

// orderOf is the graph position of name; names not in the graph sort after
// every graph upstream, by their position among the results.
func (gi graphIndex) orderOf(name string, resultIndex int) int {
	if i, ok := gi.order[name]; ok {
		return i
	}
	return len(gi.order) + resultIndex
}

// dependencies: every upstream name depends on, transitively (graph.Dependencies).
func (gi graphIndex) dependencies(name string) []string {
	if gi.g == nil || gi.byName[name] == nil {
		return nil
	}
	return gi.g.Dependencies(name)
}

// dependents: every upstream that depends on name, transitively (graph.Dependents).
func (gi graphIndex) dependents(name string) []string {
	if gi.g == nil || gi.byName[name] == nil {
		return nil
	}
	return gi.g.Dependents(name)
}

// path renders the dependency path "edge → orders → users" from one
// upstream to one of its transitive dependencies: at each step the direct
// dependency that is the target, else the first (file order) one that
// reaches it.
func (gi graphIndex) path(from, to string) string {
	p := []string{from}
	cur := from
	for len(p) <= len(gi.order)+1 && cur != to {
		u := gi.byName[cur]
		if u == nil {
			break
		}
		next := ""
		if slices.Contains(u.DependsOn, to) {
			next = to
		} else {
			for _, d := range u.DependsOn {
				if slices.Contains(gi.dependencies(d), to) {
					next = d
					break
				}
			}
		}
		if next == "" {
			break
		}
		p = append(p, next)
		cur = next
	}
	if cur != to {
		p = append(p, to)
	}
	return strings.Join(p, " → ")
}

// explainedByDependency: codes a failing dependency explains (SPEC §5).
// DNS, TCP and TLS failures are always the upstream's own.
func explainedByDependency(code string) bool {
	switch code {
	case catalog.HTTPUnavailable, catalog.HTTPServerError, catalog.HTTPTimeout:
		return true
	}
	return strings.HasPrefix(code, "gateway.") || strings.HasPrefix(code, "latency.")
}

// attribute adds dependency.unhealthy, sets the root_cause flags and the
// final upstream statuses. An upstream's dependencies are judged by their
// own status (their findings without dependency.unhealthy), so that one
// failing node does not make every node above it "unhealthy" in turn.
func (d *diag) attribute() {
	byName := map[string]*upstream{}
	for _, u := range d.ups {
		byName[u.up.Name] = u
	}
	for _, u := range d.ups {
		deps := d.graph.dependencies(u.up.Name)
		var bad, paths []string
		for _, dep := range deps {
			du := byName[dep]
			if du == nil || du.own != report.Unhealthy {
				continue // not probed in this run, or not unhealthy
			}
			bad = append(bad, dep)
			paths = append(paths, d.graph.path(u.up.Name, dep))
		}
		if len(bad) > 0 {
			root := deepestFailing(bad, func(dep string) bool {
				for _, dd := range d.graph.dependencies(dep) {
					if du := byName[dd]; du != nil && du.own == report.Unhealthy {
						return true
					}
				}
				return false
			})
			first := symptomStep(u.up.Name, root, byName[root], d.rerun(root))
			for _, f := range u.findings {
				if explainedByDependency(f.Code) {
					f.RootCause = false
					f.Remediation = append([]string{first}, f.Remediation...)
				}
			}
			msg := "depends on unhealthy upstream " + bad[0]
			if len(bad) > 1 {
				msg = "depends on unhealthy upstreams " + strings.Join(bad, ", ")
			}
			var vias []string
			for _, p := range paths {
				if strings.Count(p, " → ") > 1 {
					vias = append(vias, p)
				}
			}
			if len(vias) > 0 {
				msg += " (" + strings.Join(vias, "; ") + ")"
			}
			vars := u.vars(-1)
			vars.Dependencies = strings.Join(bad, ",")
			vars.CheckDependencies = d.rerun(bad...)
			if f := u.add(draft{
				Code:     catalog.DependencyUnhealthy,
				Target:   -1,
				Message:  msg,
				Evidence: map[string]any{"unhealthy_dependencies": bad, "paths": paths},
				Vars:     &vars,
			}); f != nil {
				f.RootCause = false
			}
		}
		u.out.Status = statusOf(u.findings)
	}
}

// deepestFailing picks, among unhealthy dependencies, the first one whose
// own dependencies are all healthy: the likely root of the failure.
func deepestFailing(bad []string, hasFailingDeps func(string) bool) string {
	for _, dep := range bad {
		if !hasFailingDeps(dep) {
			return dep
		}
	}
	return bad[0]
}

// symptomStep is the first remediation step of a finding that a failing
// dependency explains: look at the dependency first.
func symptomStep(name, dep string, du *upstream, check string) string {
	cause := ""
	for _, f := range du.findings {
		if f.Severity == report.Fail && f.Code != catalog.DependencyUnhealthy {
			cause = " (" + f.Code + ")"
			break
		}
	}
	return fmt.Sprintf("This is most likely a symptom: %s depends on %s, which is unhealthy%s. Fix %s first: %s -v", name, dep, cause, dep, check)
}

// rootCauses lists the root-cause findings (fail, then warn) with the
// upstreams they affect: most affected first, then fail before warn, then
// graph order. Several findings of one code on one upstream (one per
// target) are one entry.
func (d *diag) rootCauses() []report.RootCause {
	type rc struct {
		report.RootCause
		order, seq, n int
	}
	var list []*rc
	index := map[[3]string]*rc{}
	seq := 0
	inReport := map[string]bool{}
	for _, u := range d.ups {
		inReport[u.up.Name] = true
	}
	for _, u := range d.ups {
		// Affects lists only upstreams of this report: the graph is already
		// the --only/--tags selection, and an upstream without a result was
		// not probed, so nothing is known about it.
		affects := slices.DeleteFunc(d.graph.dependents(u.up.Name), func(n string) bool { return !inReport[n] })
		for _, f := range u.reportFindingsPtr() {
			if !f.RootCause {
				continue
			}
			key := [3]string{u.up.Name, f.Code, string(f.Severity)}
			if r := index[key]; r != nil {
				r.n++
				continue
			}
			r := &rc{
				RootCause: report.RootCause{
					Upstream: u.up.Name,
					Code:     f.Code,
					Severity: f.Severity,
					Target:   f.Target,
					Message:  f.Message,
					Affects:  append([]string{}, affects...),
				},
				order: u.order,
				seq:   seq,
				n:     1,
			}
			seq++
			index[key] = r
			list = append(list, r)
		}
	}
	slices.SortStableFunc(list, func(a, b *rc) int {
		if c := cmp.Compare(len(b.Affects), len(a.Affects)); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Severity.Rank(), a.Severity.Rank()); c != 0 {
			return c
		}
		if c := cmp.Compare(a.order, b.order); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	out := make([]report.RootCause, 0, len(list))
	for _, r := range list {
		if r.n > 1 {
			r.Target = ""
			r.Message += " (and " + plural(r.n-1, "more target") + ")"
		}
		out = append(out, r.RootCause)
	}
	return out
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// reportFindingsPtr: the findings in report order.
func (u *upstream) reportFindingsPtr() []*finding {
	fs := slices.Clone(u.findings)
	slices.SortStableFunc(fs, compareFindings)
	return fs
}
