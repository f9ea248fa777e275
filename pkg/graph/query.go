package graph

import (
	"fmt"
	"slices"
	"strings"

	"github.com/updoc/updoc/internal/suggest"
	"github.com/updoc/updoc/internal/textfmt"
)

// Lookup returns the upstream called name, or nil.
func (g *Graph) Lookup(name string) *Upstream {
	for _, u := range g.Upstreams {
		if u.Name == name {
			return u
		}
	}
	return nil
}

// ByName indexes the upstreams by name: the first of a name, as Lookup
// finds it. For a loop that looks up many names (Lookup scans the graph
// each time: a loop of lookups over 50,000 upstreams took seconds).
func (g *Graph) ByName() map[string]*Upstream {
	out := make(map[string]*Upstream, len(g.Upstreams))
	for _, u := range g.Upstreams {
		if _, dup := out[u.Name]; !dup {
			out[u.Name] = u
		}
	}
	return out
}

// Names returns the upstream names in file order.
func (g *Graph) Names() []string {
	out := make([]string, 0, len(g.Upstreams))
	for _, u := range g.Upstreams {
		out = append(out, u.Name)
	}
	return out
}

// Dependents returns every upstream that depends on name, directly or
// transitively, in file order. For queries per upstream, build one Index.
func (g *Graph) Dependents(name string) []string {
	return NewIndex(g).Dependents(name)
}

// Dependencies returns every upstream name depends on, directly or
// transitively, in file order. For queries per upstream, build one Index.
func (g *Graph) Dependencies(name string) []string {
	return NewIndex(g).Dependencies(name)
}

// Path returns the shortest chain of depends_on edges from one upstream
// to another, both ends included ("frontend", "api", "db"), walking the
// whole graph this one was selected from — so it passes through upstreams
// a selection left out. Among chains of one length, the one through the
// earlier-declared dependency wins. nil when to is not reachable. For
// queries per upstream, build one Index.
func (g *Graph) Path(from, to string) []string {
	return NewIndex(g).Path(from, to)
}

// root is the whole graph this one was selected from (itself when whole).
func (g *Graph) root() *Graph {
	if g.whole != nil {
		return g.whole
	}
	return g
}

// TopoOrder returns the upstream names with every upstream after all of its
// dependencies; among upstreams that are free to go, file order decides.
func (g *Graph) TopoOrder() []string {
	present := map[string]bool{}
	for _, u := range g.Upstreams {
		present[u.Name] = true
	}
	done := map[string]bool{}
	out := make([]string, 0, len(g.Upstreams))
	for len(out) < len(g.Upstreams) {
		progressed := false
		for _, u := range g.Upstreams {
			if done[u.Name] {
				continue
			}
			ready := true
			for _, d := range u.DependsOn {
				if present[d] && !done[d] {
					ready = false
					break
				}
			}
			if ready {
				done[u.Name] = true
				out = append(out, u.Name)
				progressed = true
				break // restart so the earliest ready upstream always goes next
			}
		}
		if !progressed { // a cycle (never in a loaded graph): keep file order
			for _, u := range g.Upstreams {
				if !done[u.Name] {
					done[u.Name] = true
					out = append(out, u.Name)
				}
			}
		}
	}
	return out
}

// Roots returns the upstreams nothing depends on, in file order.
func (g *Graph) Roots() []string {
	depended := map[string]bool{}
	for _, u := range g.Upstreams {
		for _, d := range u.DependsOn {
			depended[d] = true
		}
	}
	out := []string{}
	for _, u := range g.Upstreams {
		if !depended[u.Name] {
			out = append(out, u.Name)
		}
	}
	return out
}

// Select returns a new graph holding only the upstreams named in only (when
// only is not empty) that carry one of tags (when tags is not empty); the
// depends_on lists of the result name only upstreams still present. An
// unknown name, or tags that select nothing, is an error. The upstreams of
// the result are copies; g is not changed.
func (g *Graph) Select(only, tags []string) (*Graph, error) {
	only, tags = clean(only), clean(tags)
	keep := map[string]bool{}
	for _, u := range g.Upstreams {
		keep[u.Name] = true
	}
	if len(only) > 0 {
		names := g.Names()
		var unknown []string
		for _, n := range only {
			if !slices.Contains(names, n) {
				unknown = append(unknown, fmt.Sprintf("%q%s", n, suggest.DidYouMean(n, names)))
			}
		}
		if len(unknown) > 0 {
			noun := "upstream"
			if len(unknown) > 1 {
				noun = "upstreams"
			}
			return nil, fmt.Errorf("unknown %s %s; the graph has %s", noun, strings.Join(unknown, ", "), knownNames(names))
		}
		for n := range keep {
			keep[n] = slices.Contains(only, n)
		}
	}
	if len(tags) > 0 {
		matched := false
		for _, u := range g.Upstreams {
			has := slices.ContainsFunc(u.Tags, func(t string) bool { return slices.Contains(tags, t) })
			keep[u.Name] = keep[u.Name] && has
			matched = matched || keep[u.Name]
		}
		if !matched {
			where := "no upstream"
			if len(only) > 0 {
				where = "none of the selected upstreams (" + strings.Join(only, ", ") + ")"
			}
			known := g.tags()
			hint := "the graph has no tags"
			if len(known) > 0 {
				hint = "tags in the graph: " + strings.Join(known, ", ")
			}
			return nil, fmt.Errorf("%s carries any of the tags %s; %s", where, strings.Join(tags, ", "), hint)
		}
	}
	// depends_on stays as declared; the queries walk the whole graph and
	// answer with the selected upstreams only.
	out := &Graph{File: g.File, AdHoc: g.AdHoc, Dir: g.Dir, Version: g.Version, Policy: g.Policy, whole: g.root()}
	for _, u := range g.Upstreams {
		if keep[u.Name] {
			out.Upstreams = append(out.Upstreams, u)
		}
	}
	return out, nil
}

func (g *Graph) tags() []string {
	var out []string
	for _, u := range g.Upstreams {
		for _, t := range u.Tags {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	slices.Sort(out)
	return out
}

// clean trims entries and drops empty ones (so "--only a,,b" works).
func clean(list []string) []string {
	var out []string
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// knownNames lists a graph's upstream names for an error: all of a small
// graph, the first few of a large one and where to see the rest.
func knownNames(names []string) string {
	const shown = 12
	if len(names) <= shown {
		return textfmt.Plural(len(names), "upstream") + ": " + strings.Join(names, ", ")
	}
	return textfmt.Plural(len(names), "upstream") + ": " + textfmt.ListSome(names, shown) + " (updoc graph lists them all)"
}
