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
		return commands{rerun: rerun, graphCheck: rerun()}
	case in.Graph != nil && in.Graph.File == graph.StdinName:
		return commands{rerun: DefaultRerun(in.Graph), graphCheck: stdinNote + "updoc graph -f - --check"}
	default:
		return commands{rerun: DefaultRerun(in.Graph), graphCheck: "updoc graph" + fileFlag(in.Graph) + " --check"}
	}
}

// DefaultRerun is the Input.Rerun derived from the graph:
//
//   - a graph built from URLs (`updoc probe`, Graph.AdHoc): `updoc probe URL...`
//     with the URLs of the upstreams named (every URL for the whole run);
//   - a graph read from a file: `updoc check -f FILE [--only NAMES]`;
//   - from standard input: "(feed it the same graph on stdin): updoc check -f - [--only NAMES]";
//   - without a file name: `updoc check [--only NAMES]`.
func DefaultRerun(g *graph.Graph) func(upstreams ...string) string {
	if g != nil && g.AdHoc {
		return func(upstreams ...string) string {
			if len(upstreams) == 0 {
				upstreams = g.Names()
			}
			cmd := strings.Join(append([]string{"updoc probe"}, g.Switches...), " ")
			for _, name := range upstreams {
				if u := g.Lookup(name); u != nil {
					cmd += " " + catalog.ShellQuote(redactURL(u.RawURL))
				}
			}
			return cmd
		}
	}
	if g != nil && g.File == graph.StdinName {
		return catalog.RerunWith(stdinNote + "updoc check -f -")
	}
	return catalog.RerunWith("updoc check" + fileFlag(g))
}

// stdinNote comes before a command that reads the graph from standard
// input, as the run did: the user feeds it the same graph.
const stdinNote = "(feed it the same graph on stdin): "

// fileFlag is " -f FILE" for a graph read from a file, "" otherwise.
func fileFlag(g *graph.Graph) string {
	if g == nil || g.AdHoc || g.File == "" || g.File == graph.StdinName {
		return ""
	}
	return " -f " + catalog.ShellQuote(g.File)
}
