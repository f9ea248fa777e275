package graph

import "go.yaml.in/yaml/v3"

// minAliasBudget is the fewest nodes a graph file may reach through YAML
// aliases; a file of more than a tenth of that many nodes of its own may
// reach ten times its own.
const minAliasBudget = 1_000_000

// aliasBudget is how many nodes a document of own nodes (aliases not
// followed) may reach through its aliases.
func aliasBudget(own int) int { return max(minAliasBudget, 10*own) }

// checkAliases bounds the size of doc with its aliases expanded, which is
// what decoding it walks: a small file whose aliases nest or repeat a large
// mapping (billion laughs) would otherwise take minutes and gigabytes. It
// records an error naming the alias whose expansion goes past the budget
// and returns false.
func (d *decoder) checkAliases(doc *yaml.Node) bool {
	own := countNodes(doc)
	w := aliasWalk{left: aliasBudget(own), stopped: d.stopped}
	w.walk(doc, nil)
	if w.culprit == nil {
		return !w.interrupted
	}
	d.errorf(w.culprit, "alias *%s expands the graph past %d nodes reached through aliases (the file itself has %d): it repeats a large value too often or nests aliases in aliases; write the shared settings once under defaults:",
		w.culprit.Value, aliasBudget(own), own)
	return false
}

// countNodes counts the nodes of n, aliases not followed.
func countNodes(n *yaml.Node) int {
	c := 1
	for _, k := range n.Content {
		c += countNodes(k)
	}
	return c
}

// aliasWalk visits a document as decoding does, following aliases, until
// left nodes have been reached through aliases.
type aliasWalk struct {
	left    int
	culprit *yaml.Node // the outermost alias being expanded when left ran out

	stopped     func() bool // asked every aliasCheckEvery nodes
	visited     int
	interrupted bool // stopped said so
}

// aliasCheckEvery is how many nodes the walk visits between two looks at
// whether the load was stopped.
const aliasCheckEvery = 1 << 14

// walk visits n; outer is the outermost alias being expanded (nil when n is
// the document's own node). It returns false once the budget is spent.
func (w *aliasWalk) walk(n *yaml.Node, outer *yaml.Node) bool {
	if w.visited++; w.visited%aliasCheckEvery == 0 && w.stopped() {
		w.interrupted = true
		return false
	}
	if outer != nil {
		if w.left--; w.left < 0 {
			w.culprit = outer
			return false
		}
	}
	if n.Kind == yaml.AliasNode {
		if n.Alias == nil {
			return true
		}
		if outer == nil {
			outer = n
		}
		return w.walk(n.Alias, outer)
	}
	for _, k := range n.Content {
		if !w.walk(k, outer) {
			return false
		}
	}
	return true
}
