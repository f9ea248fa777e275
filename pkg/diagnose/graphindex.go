package diagnose

import (
	"strings"

	"github.com/updoc/updoc/pkg/graph"
)

// graphIndex is the graph of the run as attribution and the root-cause
// list query it: each upstream's node and position, and its transitive
// dependencies and dependents. It is built once per diagnosis (newGraphIndex)
// and only read afterwards, so that how it is computed — today with
// pkg/graph's own queries, one per upstream — can change in this one place.
type graphIndex struct {
	g            *graph.Graph // the run's graph (Path walks the whole graph it was selected from)
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
		gi.g = &graph.Graph{}
		return gi
	}
	gi.g = g
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
// upstream to one of its transitive dependencies, through the whole graph:
// an upstream on the way that the run did not probe (--only, --tags) is
// marked "api (not probed)", so a path never reads as a direct dependency
// it is not.
func (gi graphIndex) path(from, to string) string {
	p := gi.g.Path(from, to)
	if len(p) == 0 {
		return from + " → " + to
	}
	for i, n := range p {
		if _, probed := gi.byName[n]; !probed {
			p[i] = n + " (not probed)"
		}
	}
	return strings.Join(p, " → ")
}
