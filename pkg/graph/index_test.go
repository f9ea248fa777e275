package graph

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// The Index answers as the walks it replaced (ShortPathsFrom: their first
// and last names) (kept here as the reference):
// on random graphs — acyclic and not, with depends_on entries naming no
// upstream, whole and selected — for every pair of names.
func TestIndexAnswersAsTheReferenceWalks(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 11))
	for round := range 200 {
		n := 1 + r.IntN(12)
		whole := &Graph{}
		for i := range n {
			u := &Upstream{Name: fmt.Sprint("u", i)}
			for range r.IntN(4) {
				j := r.IntN(n + 2)                   // n, n+1: names no upstream has
				if round%2 == 0 && j < n && j <= i { // even rounds: acyclic
					continue
				}
				if name := fmt.Sprint("u", j); !slices.Contains(u.DependsOn, name) {
					u.DependsOn = append(u.DependsOn, name)
				}
			}
			whole.Upstreams = append(whole.Upstreams, u)
		}
		g := whole
		if round%3 == 0 {
			g = &Graph{whole: whole}
			for _, u := range whole.Upstreams {
				if r.IntN(2) == 0 {
					g.Upstreams = append(g.Upstreams, u)
				}
			}
		}
		x := NewIndex(g)
		names := append(whole.Names(), "u998", "u999")
		for _, a := range names {
			if got, want := x.Dependencies(a), refDependencies(g, a); !slices.Equal(got, want) || got == nil {
				t.Fatalf("round %d: Dependencies(%s) = %v, want %v", round, a, got, want)
			}
			if got, want := x.Dependents(a), refDependents(g, a); !slices.Equal(got, want) || got == nil {
				t.Fatalf("round %d: Dependents(%s) = %v, want %v", round, a, got, want)
			}
			paths := x.PathsFrom(a, names)
			for ends := 1; ends <= 3; ends++ {
				for k, sp := range x.ShortPathsFrom(a, names, ends) {
					want := refPath(g, a, names[k])
					if sp.Found != (want != nil) {
						t.Fatalf("round %d: ShortPathsFrom(%s, %d)[%s] found %v, want %v", round, a, ends, names[k], sp.Found, want)
					}
					wantHead, wantTail, omitted := want, []string(nil), 0
					if len(want) > 2*ends {
						wantHead, wantTail, omitted = want[:ends], want[len(want)-ends:], len(want)-2*ends
					}
					if !slices.Equal(sp.Head, wantHead) || !slices.Equal(sp.Tail, wantTail) || sp.Omitted != omitted {
						t.Fatalf("round %d: ShortPathsFrom(%s, %d)[%s] = %+v, want %v", round, a, ends, names[k], sp, want)
					}
				}
			}
			for k, b := range names {
				want := refPath(g, a, b)
				if got := x.Path(a, b); !slices.Equal(got, want) || (got == nil) != (want == nil) {
					t.Fatalf("round %d: Path(%s, %s) = %v, want %v", round, a, b, got, want)
				}
				if !slices.Equal(paths[k], want) || (paths[k] == nil) != (want == nil) {
					t.Fatalf("round %d: PathsFrom(%s)[%s] = %v, want %v", round, a, b, paths[k], want)
				}
			}
		}
	}
}

func refDependents(g *Graph, name string) []string {
	rev := map[string][]string{}
	for _, u := range g.root().Upstreams {
		for _, d := range u.DependsOn {
			rev[d] = append(rev[d], u.Name)
		}
	}
	return refClosure(g, name, func(n string) []string { return rev[n] })
}

func refDependencies(g *Graph, name string) []string {
	return refClosure(g, name, func(n string) []string {
		if u := g.root().Lookup(n); u != nil {
			return u.DependsOn
		}
		return nil
	})
}

func refClosure(g *Graph, name string, next func(string) []string) []string {
	seen := map[string]bool{name: true}
	todo := []string{name}
	for len(todo) > 0 {
		n := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		for _, m := range next(n) {
			if !seen[m] {
				seen[m] = true
				todo = append(todo, m)
			}
		}
	}
	out := []string{}
	for _, u := range g.Upstreams {
		if u.Name != name && seen[u.Name] {
			out = append(out, u.Name)
		}
	}
	return out
}

func refPath(g *Graph, from, to string) []string {
	whole := g.root()
	prev := map[string]string{from: ""}
	queue := []string{from}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if cur == to {
			var path []string
			for n := to; n != ""; n = prev[n] {
				path = append(path, n)
			}
			slices.Reverse(path)
			return path
		}
		u := whole.Lookup(cur)
		if u == nil {
			continue
		}
		for _, d := range u.DependsOn {
			if _, seen := prev[d]; !seen {
				prev[d] = cur
				queue = append(queue, d)
			}
		}
	}
	return nil
}
