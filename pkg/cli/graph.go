package cli

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/iostreams"
	"github.com/updoc/updoc/pkg/report"
)

var graphFormats = []string{"tree", "dot", "mermaid"}

// GraphOptions are the inputs of `updoc graph`.
type GraphOptions struct {
	*Factory
	File   string
	Format string
	Check  bool
	Run    RunFlags
}

func newGraphCmd(f *Factory, runF func(context.Context, *GraphOptions) error) *cobra.Command {
	opts := &GraphOptions{Factory: f}
	if runF == nil {
		runF = runGraphCmd
	}
	cmd := &cobra.Command{
		Use:   "graph [-f FILE] [--format tree|dot|mermaid] [--check]",
		Short: "Print the dependency graph (with --check, each node's status)",
		Long: `Print the dependency graph of the graph file as an indented tree, Graphviz DOT or a
Mermaid flowchart. With --check, probe every upstream first and show each node's status
(and, in the tree, the root cause); the exit status is then that of check.`,
		Example: `  updoc graph
  updoc graph --format dot | dot -Tsvg > upstreams.svg
  updoc graph --check --format mermaid >> "$GITHUB_STEP_SUMMARY"`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runF(cmd.Context(), opts) },
	}
	addFileFlag(cmd, &opts.File)
	cmd.Flags().StringVar(&opts.Format, "format", "tree", "tree, dot or mermaid")
	cmd.Flags().BoolVar(&opts.Check, "check", false, "probe first and show each upstream's status")
	_ = cmd.RegisterFlagCompletionFunc("format", fixedCompletion(graphFormats))
	addProbeFlags(cmd, &opts.Run)
	return cmd
}

func runGraphCmd(ctx context.Context, opts *GraphOptions) error {
	if !slices.Contains(graphFormats, opts.Format) {
		return invalid(fmt.Errorf("invalid --format %q: want one of %s", opts.Format, strings.Join(graphFormats, ", ")))
	}
	if err := opts.Run.validate(opts.IO); err != nil {
		return err
	}
	g, err := loadGraph(ctx, opts.Factory, opts.File, opts.Run.Deadline)
	if err != nil {
		return err
	}
	if g, err = selectUpstreams(g, opts.Run); err != nil {
		return err
	}
	if !opts.Check {
		return writeGraph(opts.IO, g, opts.Format, nil)
	}
	rep := opts.run(ctx, g, opts.Run.engineOptions(), nil)
	if err := writeGraph(opts.IO, g, opts.Format, &rep); err != nil {
		return err
	}
	return statusExit(ctx, rep, opts.Run.FailOn)
}

func writeGraph(ios *iostreams.IOStreams, g *graph.Graph, format string, rep *report.Report) error {
	var status func(string) string
	if rep != nil {
		byName := rep.ByName()
		status = func(name string) string {
			if u := byName[name]; u != nil {
				return string(u.Status)
			}
			return ""
		}
	}
	var err error
	switch format {
	case "dot":
		err = g.WriteDOT(ios.Out, status)
	case "mermaid":
		err = g.WriteMermaid(ios.Out, status)
	default:
		if rep != nil {
			status = treeStatus(rep, ios.ColorEnabled())
		}
		err = g.WriteTree(ios.Out, status)
		if err == nil && rep != nil {
			err = writeRootCauseGroups(ios, rep)
		}
	}
	if err != nil {
		return fmt.Errorf("write %s graph: %w", format, err)
	}
	return nil
}

// writeRootCauseGroups lists, under the tree, each fault once: the root
// causes that share it (same code and target) are one line, "tcp.refused
// on 127.0.0.1:18200 — 500 upstreams (svc000, svc001, … +498)".
func writeRootCauseGroups(ios *iostreams.IOStreams, rep *report.Report) error {
	groups := rep.RootCauseGroups()
	if len(groups) == 0 {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nroot causes (%d):\n", len(groups))
	for i, line := range rep.GroupLines(groups) {
		badge := "!"
		if groups[i].Severity == report.Fail {
			badge = "✗"
		}
		fmt.Fprintf(&b, "  %s %s\n", badge, line)
	}
	_, err := io.WriteString(ios.Out, b.String())
	return err
}

// treeStatus labels a tree node with its status and, when sick, its own
// root-cause code or the root cause upstream of it that takes it down.
func treeStatus(rep *report.Report, color bool) func(string) string {
	byName := rep.ByName()
	return func(name string) string {
		u := byName[name]
		if u == nil {
			return "not probed" // left out by --only or --tags
		}
		label := string(u.Status)
		if color {
			label = colorStatus(u.Status)
		}
		if i := u.PrimaryFinding(); i >= 0 && u.Findings[i].RootCause {
			return label + ": " + u.Findings[i].Code
		}
		for _, rc := range rep.RootCauses {
			if slices.Contains(rc.Affects, name) {
				return label + ": affected by " + rc.Upstream + " (" + rc.Code + ")"
			}
		}
		return label
	}
}

func colorStatus(s report.Status) string {
	code := map[report.Status]string{report.Healthy: "32", report.Degraded: "33", report.Unhealthy: "31", report.Unknown: "35"}[s]
	if code == "" {
		return string(s)
	}
	return "\x1b[" + code + "m" + string(s) + "\x1b[0m"
}
