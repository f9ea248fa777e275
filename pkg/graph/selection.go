package graph

// MissingDependency is an upstream that upstreams of a selection (--only,
// --tags) depend on directly and that the selection left out: their
// status says nothing about it.
type MissingDependency struct {
	Name string
	// NeededBy are the selected upstreams that depend on it, in file order.
	NeededBy []string
}

// MissingDependencies returns the dependencies of g's upstreams that g does
// not hold, in file order of the whole graph: none for a whole graph.
func (g *Graph) MissingDependencies() []MissingDependency {
	if g.whole == nil {
		return nil // the whole graph holds every upstream a dependency can name
	}
	here := g.ByName()
	neededBy := map[string][]string{} // a missing name → its dependents here, in file order
	for _, u := range g.Upstreams {
		for _, d := range u.DependsOn {
			if nb := neededBy[d]; here[d] == nil && (len(nb) == 0 || nb[len(nb)-1] != u.Name) {
				neededBy[d] = append(nb, u.Name)
			}
		}
	}
	if len(neededBy) == 0 {
		return nil
	}
	var out []MissingDependency
	for _, dep := range g.root().Upstreams { // in the whole graph's order
		if nb := neededBy[dep.Name]; len(nb) > 0 {
			out = append(out, MissingDependency{Name: dep.Name, NeededBy: nb})
		}
	}
	return out
}

// WithDependencies returns g with every upstream its upstreams depend on,
// transitively, taken from the whole graph it was selected from
// (--with-deps), in file order. A whole graph is returned as it is.
func (g *Graph) WithDependencies() *Graph {
	if g.whole == nil {
		return g
	}
	keep := map[string]bool{}
	whole := NewIndex(g.whole)
	for _, u := range g.Upstreams {
		keep[u.Name] = true
		for _, d := range whole.Dependencies(u.Name) {
			keep[d] = true
		}
	}
	out := *g
	out.Upstreams = nil
	for _, u := range g.whole.Upstreams {
		if keep[u.Name] {
			out.Upstreams = append(out.Upstreams, u)
		}
	}
	return &out
}
