package diagnose

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/report"
)

// graphIndex answers the few graph queries diagnose needs.
//
// NOTE for the lead: this is a local helper because pkg/graph's query
// functions (dependents, transitive closure) were written concurrently;
// swap transitiveDeps/transitiveDependents for them once they exist.
type graphIndex struct {
	byName     map[string]*graph.Upstream
	order      map[string]int
	dependents map[string][]string // reverse edges, graph order
}

func newGraphIndex(g *graph.Graph) graphIndex {
	gi := graphIndex{byName: map[string]*graph.Upstream{}, order: map[string]int{}, dependents: map[string][]string{}}
	if g == nil {
		return gi
	}
	for i, u := range g.Upstreams {
		gi.byName[u.Name] = u
		gi.order[u.Name] = i
	}
	for _, u := range g.Upstreams {
		for _, dep := range u.DependsOn {
			gi.dependents[dep] = append(gi.dependents[dep], u.Name)
		}
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

// bfs walks edges from name; it returns the names reached (not name itself)
// in graph order, and for each the name it was reached from.
func (gi graphIndex) bfs(name string, next func(string) []string) ([]string, map[string]string) {
	parent := map[string]string{name: ""}
	queue := []string{name}
	var reached []string
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, n := range next(cur) {
			if _, seen := parent[n]; seen {
				continue
			}
			parent[n] = cur
			reached = append(reached, n)
			queue = append(queue, n)
		}
	}
	slices.SortStableFunc(reached, func(a, b string) int { return cmp.Compare(gi.orderOf(a, 0), gi.orderOf(b, 0)) })
	return reached, parent
}

// transitiveDeps: every upstream name depends on, directly or not.
func (gi graphIndex) transitiveDeps(name string) ([]string, map[string]string) {
	return gi.bfs(name, func(n string) []string {
		if u := gi.byName[n]; u != nil {
			return u.DependsOn
		}
		return nil
	})
}

// transitiveDependents: every upstream in the graph that depends on name,
// directly or not.
func (gi graphIndex) transitiveDependents(name string) []string {
	out, _ := gi.bfs(name, func(n string) []string { return gi.dependents[n] })
	return out
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
		deps, parent := d.graph.transitiveDeps(u.up.Name)
		var bad, paths []string
		for _, dep := range deps {
			du := byName[dep]
			if du == nil || du.own != report.Unhealthy {
				continue // not probed in this run, or not unhealthy
			}
			bad = append(bad, dep)
			paths = append(paths, path(u.up.Name, dep, parent))
		}
		if len(bad) > 0 {
			for _, f := range u.findings {
				if explainedByDependency(f.Code) {
					f.RootCause = false
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

// path renders "edge → orders → users" from the BFS parents.
func path(from, to string, parent map[string]string) string {
	p := []string{to}
	for cur := to; cur != from && parent[cur] != ""; {
		cur = parent[cur]
		p = append(p, cur)
	}
	slices.Reverse(p)
	return strings.Join(p, " → ")
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
	for _, u := range d.ups {
		affects := d.graph.transitiveDependents(u.up.Name)
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
		if c := cmp.Compare(sevRank(b.Severity), sevRank(a.Severity)); c != 0 {
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

func sevRank(s report.Severity) int {
	if s == report.Fail {
		return 1
	}
	return 0
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
