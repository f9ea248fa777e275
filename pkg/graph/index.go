package graph

import (
	"slices"
	"sync"
)

// Index is a graph's dependency structure numbered once, for many queries:
// each name is an id, depends_on edges and their reverse are lists of ids,
// so a query walks what it reaches and nothing else — no name lookups by
// scanning, no reverse-edge map rebuilt per call. Build it once (NewIndex)
// where a graph is queried per upstream (a diagnosis); the Graph methods
// Dependencies, Dependents and Path answer through an Index built for the
// one call, so both give the same results. An Index is only read after it
// is built and is safe for concurrent use.
type Index struct {
	id map[string]int // every name of the whole graph, then unknown depends_on names
	// names[i] is the name of id i.
	names []string
	// deps[i] are the depends_on entries of the upstream called names[i]
	// (the first one of that name in the whole graph; none for a name no
	// upstream has), in declared order.
	deps [][]int
	// rev[i] are the upstreams that list names[i] in depends_on, in file
	// order of the whole graph.
	rev [][]int
	// pos[i] is the position of names[i] among this graph's upstreams (a
	// selection's), -1 when not among them.
	pos []int
	// at[p] is the id of the graph's upstream at position p.
	at []int
	// pool holds walk scratch (walkState) for concurrent queries.
	pool sync.Pool
}

// NewIndex numbers g's names and edges, over the whole graph g was
// selected from (dependency queries walk it) and answering with g's
// upstreams.
func NewIndex(g *Graph) *Index {
	whole := g.root()
	x := &Index{id: make(map[string]int, len(whole.Upstreams))}
	idOf := func(name string) int {
		if i, ok := x.id[name]; ok {
			return i
		}
		i := len(x.names)
		x.id[name] = i
		x.names = append(x.names, name)
		return i
	}
	for _, u := range whole.Upstreams {
		idOf(u.Name)
	}
	x.deps = make([][]int, len(x.names))
	firstSeen := make([]bool, len(x.names))
	var rev [][2]int // (dependency, dependent) in file order
	for _, u := range whole.Upstreams {
		from := x.id[u.Name]
		first := !firstSeen[from]
		firstSeen[from] = true
		for _, d := range u.DependsOn {
			to := idOf(d)
			if first {
				x.deps[from] = append(x.deps[from], to)
			}
			rev = append(rev, [2]int{to, from})
		}
	}
	x.deps = append(x.deps, make([][]int, len(x.names)-len(x.deps))...) // unknown names: no upstream, no edges
	x.rev = make([][]int, len(x.names))
	for _, e := range rev {
		x.rev[e[0]] = append(x.rev[e[0]], e[1])
	}
	x.pos = make([]int, len(x.names))
	for i := range x.pos {
		x.pos[i] = -1
	}
	x.at = make([]int, len(g.Upstreams))
	for p, u := range g.Upstreams {
		i := idOf(u.Name) // a graph built by hand may hold what its whole does not
		x.at[p] = i
		if i >= len(x.pos) {
			x.pos = append(x.pos, -1)
			x.deps = append(x.deps, nil)
			x.rev = append(x.rev, nil)
		}
		if x.pos[i] < 0 {
			x.pos[i] = p
		}
	}
	return x
}

// Dependencies returns every upstream of the graph that name depends on,
// directly or transitively, in file order (as Graph.Dependencies).
func (x *Index) Dependencies(name string) []string {
	return x.closure(name, x.deps)
}

// Dependents returns every upstream of the graph that depends on name,
// directly or transitively, in file order (as Graph.Dependents).
func (x *Index) Dependents(name string) []string {
	return x.closure(name, x.rev)
}

// closure walks next from name and returns what it reaches (not name
// itself) among the graph's upstreams, in file order.
func (x *Index) closure(name string, next [][]int) []string {
	start, ok := x.id[name]
	if !ok {
		return []string{}
	}
	w := x.walk()
	defer x.done(w)
	w.mark(start, -1)
	todo := []int{start}
	var reached []int // positions in the graph
	for len(todo) > 0 {
		n := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		for _, m := range next[n] {
			if !w.seen(m) {
				w.mark(m, n)
				todo = append(todo, m)
				if x.pos[m] >= 0 {
					reached = append(reached, x.pos[m])
				}
			}
		}
	}
	slices.Sort(reached)
	out := make([]string, 0, len(reached))
	for _, p := range reached {
		out = append(out, x.names[x.at[p]])
	}
	return out
}

// Path returns the shortest chain of depends_on edges from one upstream to
// another, both ends included, walking the whole graph (as Graph.Path);
// nil when to is not reachable.
func (x *Index) Path(from, to string) []string {
	return x.PathsFrom(from, []string{to})[0]
}

// PathsFrom returns Path(from, to) for each of to, from one walk of the
// graph.
func (x *Index) PathsFrom(from string, to []string) [][]string {
	out := make([][]string, len(to))
	for k, p := range x.ShortPathsFrom(from, to, 0) {
		if p.Found {
			out[k] = p.Head
		}
	}
	return out
}

// ShortPath is a dependency path (Index.ShortPathsFrom) with its middle left
// out: Head holds its first names, Tail its last, and Omitted how many
// names between them are left out; a path short enough is all in Head.
type ShortPath struct {
	Found      bool // false: to is not reachable
	Head, Tail []string
	Omitted    int
}

// ShortPathsFrom returns Path(from, to) for each of to, from one walk of
// the graph; with ends > 0, a path of more than 2×ends names as its first
// and last ends names and the number between, in a time that does not
// depend on the path's length (the walk notes each name's first hops from
// from as it reaches it).
func (x *Index) ShortPathsFrom(from string, to []string, ends int) []ShortPath {
	out := make([]ShortPath, len(to))
	start, ok := x.id[from]
	if !ok {
		for k, t := range to {
			if t == from {
				out[k] = ShortPath{Found: true, Head: []string{from}}
			}
		}
		return out
	}
	targets := make([]int, len(to))
	left := 0
	for k, t := range to {
		targets[k] = -1
		if i, ok := x.id[t]; ok {
			targets[k] = i
			left++
		}
	}
	w := x.walk()
	defer x.done(w)
	// Breadth first, each name's predecessor set when it is first reached
	// (and never changed, so the walk stops once every target is reached):
	// among chains of one length, the one through the earlier-declared
	// dependency wins.
	found := func(n int) {
		for _, e := range targets {
			if e == n {
				left--
			}
		}
	}
	w.mark(start, -1)
	w.depth[start] = 0
	w.hops[start] = nil
	found(start)
	queue := append(w.queue[:0], start)
	defer func() { w.queue = queue[:0] }()
	for head := 0; head < len(queue) && left > 0; head++ {
		cur := queue[head]
		for _, d := range x.deps[cur] {
			if w.seen(d) {
				continue
			}
			w.mark(d, cur)
			w.depth[d] = w.depth[cur] + 1
			w.hops[d] = w.hops[cur]
			if ends > 0 && w.depth[d] < ends {
				w.hops[d] = append(w.hops[cur][:len(w.hops[cur]):len(w.hops[cur])], d)
			}
			queue = append(queue, d)
			found(d)
		}
	}
	for k, end := range targets {
		if end < 0 || !w.seen(end) {
			continue
		}
		names := w.depth[end] + 1
		if ends <= 0 || names <= 2*ends {
			path := make([]string, names)
			for i, n := names-1, end; n >= 0; i, n = i-1, w.prev[n] {
				path[i] = x.names[n]
			}
			out[k] = ShortPath{Found: true, Head: path}
			continue
		}
		head := make([]string, 0, ends)
		head = append(head, from)
		for _, n := range w.hops[end] {
			head = append(head, x.names[n])
		}
		tail := make([]string, ends)
		for i, n := ends-1, end; i >= 0; i, n = i-1, w.prev[n] {
			tail[i] = x.names[n]
		}
		out[k] = ShortPath{Found: true, Head: head, Tail: tail, Omitted: names - 2*ends}
	}
	return out
}

// walkState is the scratch of one walk: each id's predecessor (unseen:
// -2), and the ids marked, so that it is reset in the time the walk took.
type walkState struct {
	prev    []int
	touched []int
	// depth and hops (the first names after the start, up to the number
	// ShortPathsFrom keeps) of each id marked by a breadth-first walk.
	depth []int
	hops  [][]int
	queue []int // of the breadth-first walk, kept for the next
}

func (w *walkState) seen(i int) bool { return w.prev[i] != -2 }

func (w *walkState) mark(i, from int) {
	w.prev[i] = from
	w.touched = append(w.touched, i)
}

// walk takes a reset scratch sized for the index.
func (x *Index) walk() *walkState {
	if w, ok := x.pool.Get().(*walkState); ok {
		return w
	}
	w := &walkState{prev: make([]int, len(x.names)), depth: make([]int, len(x.names)), hops: make([][]int, len(x.names))}
	for i := range w.prev {
		w.prev[i] = -2
	}
	return w
}

// done resets w and gives it back.
func (x *Index) done(w *walkState) {
	for _, i := range w.touched {
		w.prev[i] = -2
		w.hops[i] = nil
	}
	w.touched = w.touched[:0]
	x.pool.Put(w)
}
