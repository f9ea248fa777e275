package graph

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/updoc/updoc/internal/suggest"
)

// depNode is an upstream as checkDeps sees it: its name and its depends_on
// entries.
type depNode struct {
	name string
	deps []dep
}

// checkDeps reports unknown, self and duplicate dependencies and cycles, and
// follows only the valid edges (ups is changed: each keeps those).
func (d *decoder) checkDeps(ups []depNode) {
	index := map[string]int{}
	var names []string
	for i, u := range ups {
		index[u.name] = i
		names = append(names, u.name)
	}
	for i := range ups {
		if d.stopped() {
			return
		}
		u := &ups[i]
		var keep []dep
		seen := map[string]bool{}
		for _, dp := range u.deps {
			switch {
			case dp.name == u.name:
				d.errorf(dp.node, "depends_on: upstream %q depends on itself; remove %q from its depends_on", u.name, dp.name)
			case !known(index, dp.name):
				others := slices.DeleteFunc(slices.Clone(names), func(n string) bool { return n == u.name })
				d.errorf(dp.node, "depends_on: unknown upstream %q%s; the graph has %s", dp.name, suggest.DidYouMean(dp.name, others), knownNames(names))
			case seen[dp.name]:
				d.errorf(dp.node, "depends_on: %q is listed twice", dp.name)
			default:
				seen[dp.name] = true
				keep = append(keep, dp)
			}
		}
		u.deps = keep
	}
	// Cycles: depth-first in file order; report each cycle once, starting at
	// its member that comes first in the file, at that member's depends_on
	// entry that begins the cycle.
	const (
		white = iota
		grey
		black
	)
	color := make([]int, len(ups))
	var stack []int
	reported := map[string]bool{}
	var visit func(i int)
	visit = func(i int) {
		if d.stopped() {
			return
		}
		color[i] = grey
		stack = append(stack, i)
		for _, dp := range ups[i].deps {
			j := index[dp.name]
			switch color[j] {
			case white:
				visit(j)
			case grey:
				start := slices.Index(stack, j)
				cyc := slices.Clone(stack[start:])
				// Rotate so the earliest member in the file comes first.
				lo := 0
				for k := range cyc {
					if cyc[k] < cyc[lo] {
						lo = k
					}
				}
				cyc = append(cyc[lo:], cyc[:lo]...)
				members := slices.Clone(cyc)
				slices.Sort(members)
				id := fmt.Sprint(members)
				if reported[id] {
					continue
				}
				reported[id] = true
				parts := make([]string, 0, len(cyc)+1)
				for _, k := range cyc {
					parts = append(parts, ups[k].name)
				}
				parts = append(parts, ups[cyc[0]].name)
				var node *yaml.Node
				next := ups[cyc[1%len(cyc)]].name
				for _, e := range ups[cyc[0]].deps {
					if e.name == next {
						node = e.node
					}
				}
				d.errorf(node, "depends_on: dependency cycle %s; remove one of these depends_on entries", strings.Join(parts, " → "))
			}
		}
		stack = stack[:len(stack)-1]
		color[i] = black
	}
	for i := range ups {
		if d.stopped() {
			return
		}
		if color[i] == white {
			visit(i)
		}
	}
}

// known reports whether name is in index.
func known(index map[string]int, name string) bool {
	_, ok := index[name]
	return ok
}
