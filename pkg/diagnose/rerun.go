package diagnose

import (
	"strings"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
)

// commands are the updoc commands remediation steps suggest.
type commands struct {
	// rerun re-runs the named upstreams (the whole run when none is named).
	rerun func(upstreams ...string) string
	// graphCheck shows the graph with each upstream's status and what it
	// depends on.
	graphCheck string
	// noGraph: the run had no graph file (updoc probe), so no command
	// shows what an upstream depends on.
	noGraph bool
}

// rerunWithDeps re-runs upstream and every upstream it depends on,
// transitively (--with-deps); the whole run when there is no graph file
// (updoc probe: no upstream depends on another).
func (c commands) rerunWithDeps(upstream string) string {
	if c.noGraph {
		return c.rerun()
	}
	return c.rerun(upstream) + " --with-deps"
}

// commandsFor derives the commands from the input: the caller's Rerun
// (updoc demo), else the graph's (DefaultRerun).
func commandsFor(in Input) commands {
	switch {
	case in.Rerun != nil:
		// The caller's command (updoc demo): its whole run shows every
		// upstream's status and what it depends on.
		return commands{rerun: in.Rerun, graphCheck: in.Rerun()}
	case in.Graph != nil && in.Graph.AdHoc:
		// updoc probe: no graph declares what the URL depends on; the
		// probe of every URL again is what shows their status.
		rerun := DefaultRerun(in.Graph)
		return commands{rerun: rerun, graphCheck: rerun(), noGraph: true}
	default:
		return commands{rerun: DefaultRerun(in.Graph), graphCheck: "updoc graph" + fileFlag(in.Graph) + " --check"}
	}
}

// DefaultRerun is the Input.Rerun derived from the graph:
//
//   - a graph built from URLs (`updoc probe`, Graph.AdHoc): `updoc probe URL...`
//     with the URLs of the upstreams named (every URL for the whole run);
//   - a graph read from a file: `updoc check -f FILE [--only NAMES]`;
//   - from standard input: `updoc check -f - [--only NAMES]` (a step's
//     prose then says "with the same graph on stdin");
//   - without a file name: `updoc check [--only NAMES]`.
func DefaultRerun(g *graph.Graph) func(upstreams ...string) string {
	if g != nil && g.AdHoc {
		byName := g.ByName()
		return func(upstreams ...string) string {
			if len(upstreams) == 0 {
				upstreams = g.Names()
			}
			cmd := strings.Join(append([]string{"updoc probe"}, g.Switches...), " ")
			for _, name := range upstreams {
				if u := byName[name]; u != nil {
					cmd += " " + catalog.ShellQuote(redactURL(u.RawURL))
				}
			}
			return cmd
		}
	}
	return catalog.RerunWith("updoc check" + fileFlag(g))
}

// fileFlag is " -f FILE" for a graph read from a file, " -f -" for one
// read from standard input, "" otherwise.
func fileFlag(g *graph.Graph) string {
	switch {
	case g == nil || g.AdHoc || g.File == "":
		return ""
	case g.File == graph.StdinName:
		return " -f -"
	}
	return " -f " + catalog.ShellQuote(g.File)
}
