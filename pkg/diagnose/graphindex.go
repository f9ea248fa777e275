package diagnose

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/updoc/updoc/pkg/graph"
)

// graphIndex is the graph of the run as attribution and the root-cause
// list query it: each upstream's node and position, and the graph's
// dependency structure numbered once (graph.Index), so that a query walks
// only what it reaches. It is built once per diagnosis (newGraphIndex) and
// only read afterwards.
type graphIndex struct {
	x      *graph.Index
	byName map[string]*graph.Upstream
	order  map[string]int
}

// newGraphIndex indexes g; a nil graph gives an empty index (every result
// is then its own node).
func newGraphIndex(g *graph.Graph) graphIndex {
	if g == nil {
		g = &graph.Graph{}
	}
	gi := graphIndex{
		x:      graph.NewIndex(g),
		byName: make(map[string]*graph.Upstream, len(g.Upstreams)),
		order:  make(map[string]int, len(g.Upstreams)),
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

// dependents are the graph's upstreams that depend on name, transitively,
// in graph order; none for a name that is not a graph upstream.
func (gi graphIndex) dependents(name string) []string {
	if _, ok := gi.byName[name]; !ok {
		return nil
	}
	return gi.x.Dependents(name)
}

// dependenciesAmong returns, for each graph upstream, those of its
// transitive dependencies that are among marked (graph upstreams, in graph
// order), in graph order: one walk up from each marked upstream, so the
// cost follows the answer, not the square of the graph.
func (gi graphIndex) dependenciesAmong(ctx context.Context, marked []string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, m := range marked {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for _, n := range gi.x.Dependents(m) {
			out[n] = append(out[n], m)
		}
	}
	return out, nil
}

// paths renders the dependency path "edge → orders → users" from one
// upstream to each of its transitive dependencies to, through the whole
// graph (one walk): an upstream on the way that the run did not probe
// (--only, --tags) is marked "api (not probed)", so a path never reads as a
// direct dependency it is not. A path of more than 2×pathEnds names shows
// its first and last pathEnds with "… N more" between them, so that what
// every member of a long chain says about it stays the same size, not the
// length of the chain (the report of a chain would otherwise grow with its
// square, and so would the time to write the paths).
func (gi graphIndex) paths(from string, to []string) []string {
	out := make([]string, len(to))
	for k, p := range gi.x.ShortPathsFrom(from, to, pathEnds) {
		if !p.Found {
			out[k] = from + " → " + to[k]
			continue
		}
		names := p.Head
		if p.Omitted > 0 {
			names = slices.Concat(p.Head, []string{"… " + strconv.Itoa(p.Omitted) + " more"}, p.Tail)
		}
		for i, n := range names {
			if _, probed := gi.byName[n]; !probed && (p.Omitted == 0 || i != len(p.Head)) {
				names[i] = n + " (not probed)"
			}
		}
		out[k] = strings.Join(names, " → ")
	}
	return out
}

// pathEnds is how many names a long dependency path shows at each end.
const pathEnds = 3
