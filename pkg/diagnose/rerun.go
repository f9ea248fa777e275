package diagnose

import (
	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
)

// DefaultRerun is the Input.Rerun derived from the graph:
//
//   - a graph built from URLs (`updoc probe`, Graph.AdHoc): `updoc probe URL...`
//     with the URLs of the upstreams named (every URL for the whole run);
//   - a graph read from a file: `updoc check -f FILE [--only NAMES]`;
//   - from standard input, or without a file name: `updoc check [--only NAMES]`.
func DefaultRerun(g *graph.Graph) func(upstreams ...string) string {
	if g != nil && g.AdHoc {
		return func(upstreams ...string) string {
			if len(upstreams) == 0 {
				upstreams = g.Names()
			}
			cmd := "updoc probe"
			for _, name := range upstreams {
				if u := g.Lookup(name); u != nil {
					cmd += " " + catalog.ShellQuote(redactURL(u.RawURL))
				}
			}
			return cmd
		}
	}
	return catalog.RerunWith("updoc check" + fileFlag(g))
}

// fileFlag is " -f FILE" for a graph read from a file, "" otherwise.
func fileFlag(g *graph.Graph) string {
	if g == nil || g.AdHoc || g.File == "" || g.File == graph.StdinName {
		return ""
	}
	return " -f " + catalog.ShellQuote(g.File)
}
