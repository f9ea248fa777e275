package graph

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteTree prints the dependency graph as an indented tree: each root (an
// upstream nothing depends on) at the left, its depends_on below it. status,
// when not nil, gives a word printed after each name ("healthy", ...;
// "" prints nothing). An upstream reached a second time is printed without
// its subtree, marked "(see above)".
func (g *Graph) WriteTree(w io.Writer, status func(name string) string) error {
	bw := bufio.NewWriter(w)
	byName := g.ByName()
	expanded := map[string]bool{}
	label := func(name string) string {
		if status != nil {
			if s := status(name); s != "" {
				return name + " [" + s + "]"
			}
		}
		return name
	}
	var walk func(name, prefix string, last bool, depth int, path map[string]bool)
	walk = func(name, prefix string, last bool, depth int, path map[string]bool) {
		u := byName[name]
		line, childPrefix := "", ""
		if depth > 0 {
			if last {
				line, childPrefix = prefix+"└── ", prefix+"    "
			} else {
				line, childPrefix = prefix+"├── ", prefix+"│   "
			}
		}
		line += label(name)
		deps := []string{}
		if u != nil {
			deps = u.DependsOn
		}
		if len(deps) > 0 && (expanded[name] || path[name]) {
			fmt.Fprintln(bw, line+" (see above)")
			return
		}
		fmt.Fprintln(bw, line)
		expanded[name] = true
		path[name] = true
		for i, d := range deps {
			walk(d, childPrefix, i == len(deps)-1, depth+1, path)
		}
		delete(path, name)
	}
	roots := g.Roots()
	if len(roots) == 0 { // only in a cyclic graph, which Load rejects
		roots = g.Names()
	}
	for _, r := range roots {
		walk(r, "", true, 0, map[string]bool{})
	}
	return bw.Flush()
}

var dotColors = map[string]string{
	"healthy":   "palegreen",
	"degraded":  "gold",
	"unhealthy": "salmon",
}

// WriteDOT prints the graph in Graphviz DOT: one box per upstream (labelled
// with its status when status is not nil), an arrow from each upstream to
// each of its dependencies.
func (g *Graph) WriteDOT(w io.Writer, status func(name string) string) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "digraph updoc {")
	fmt.Fprintln(bw, "  rankdir=LR;")
	fmt.Fprintln(bw, "  node [shape=box];")
	for _, u := range g.Upstreams {
		attrs := []string{}
		s := ""
		if status != nil {
			s = status(u.Name)
		}
		if s != "" {
			attrs = append(attrs, "label="+dotQuote(u.Name+"\n"+s))
			if c, ok := dotColors[s]; ok {
				attrs = append(attrs, "style=filled", "fillcolor="+c)
			}
		}
		if len(attrs) > 0 {
			fmt.Fprintf(bw, "  %s [%s];\n", dotQuote(u.Name), strings.Join(attrs, ", "))
		} else {
			fmt.Fprintf(bw, "  %s;\n", dotQuote(u.Name))
		}
	}
	for _, u := range g.Upstreams {
		for _, d := range u.DependsOn {
			fmt.Fprintf(bw, "  %s -> %s;\n", dotQuote(u.Name), dotQuote(d))
		}
	}
	fmt.Fprintln(bw, "}")
	return bw.Flush()
}

func dotQuote(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	s = strings.ReplaceAll(s, `"`, `\"`)
	s = strings.ReplaceAll(s, "\n", `\n`)
	return `"` + s + `"`
}

// WriteMermaid prints the graph as a Mermaid flowchart (for Markdown): one
// node per upstream (with its status when status is not nil), an arrow from
// each upstream to each of its dependencies.
func (g *Graph) WriteMermaid(w io.Writer, status func(name string) string) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "flowchart LR")
	ids := map[string]string{}
	classes := map[string][]string{}
	for i, u := range g.Upstreams {
		id := "n" + strconv.Itoa(i)
		ids[u.Name] = id
		label := u.Name
		if status != nil {
			if s := status(u.Name); s != "" {
				label += ": " + s
				if _, ok := dotColors[s]; ok {
					classes[s] = append(classes[s], id)
				}
			}
		}
		fmt.Fprintf(bw, "  %s[\"%s\"]\n", id, strings.ReplaceAll(label, `"`, "#quot;"))
	}
	for _, u := range g.Upstreams {
		for _, d := range u.DependsOn {
			if id, ok := ids[d]; ok {
				fmt.Fprintf(bw, "  %s --> %s\n", ids[u.Name], id)
			}
		}
	}
	for _, s := range []string{"healthy", "degraded", "unhealthy"} {
		if len(classes[s]) == 0 {
			continue
		}
		fill := map[string]string{"healthy": "#c8f7c5", "degraded": "#fff3b0", "unhealthy": "#ffc9c9"}[s]
		fmt.Fprintf(bw, "  classDef %s fill:%s\n", s, fill)
		fmt.Fprintf(bw, "  class %s %s\n", strings.Join(classes[s], ","), s)
	}
	return bw.Flush()
}
