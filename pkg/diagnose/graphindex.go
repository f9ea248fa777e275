package diagnose

import (
	"slices"
	"strings"

	"github.com/updoc/updoc/pkg/graph"
)

// graphIndex is the graph of the run as attribution and the root-cause
// list query it: each upstream's node and position, and its transitive
// dependencies and dependents. It is built once per diagnosis (newGraphIndex)
// and only read afterwards, so that how it is computed — today with
// pkg/graph's own queries, one per upstream — can change in this one place.
type graphIndex struct {
	byName       map[string]*graph.Upstream
	order        map[string]int
	dependencies map[string][]string // transitive, graph file order
	dependents   map[string][]string // transitive, graph file order
}

// newGraphIndex indexes g; a nil graph gives an empty index (every result
// is then its own node).
func newGraphIndex(g *graph.Graph) graphIndex {
	gi := graphIndex{
		byName:       map[string]*graph.Upstream{},
		order:        map[string]int{},
		dependencies: map[string][]string{},
		dependents:   map[string][]string{},
	}
	if g == nil {
		return gi
	}
	for i, u := range g.Upstreams {
		gi.byName[u.Name] = u
		gi.order[u.Name] = i
		gi.dependencies[u.Name] = g.Dependencies(u.Name)
		gi.dependents[u.Name] = g.Dependents(u.Name)
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
				if slices.Contains(gi.dependencies[d], to) {
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
