package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/lab"
)

// DemoOptions are the inputs of `updoc demo`.
type DemoOptions struct {
	*Factory
	PrintConfig bool
	Run         RunFlags
}

func newDemoCmd(f *Factory, runF func(context.Context, *DemoOptions) error) *cobra.Command {
	opts := &DemoOptions{Factory: f}
	if runF == nil {
		runF = runDemo
	}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run check against a built-in fault lab on loopback (no setup needed)",
		Long: `Start the built-in fault lab — a DNS server, HTTP and HTTPS servers and an in-memory CA,
all on 127.0.0.1 — with one upstream per family of faults, run check against it, then stop it.
Nothing leaves this machine. It exits 1, because the lab is sick on purpose (with --tui
too, once the round has finished; quitting before that exits 130).`,
		Example: `  updoc demo
  updoc demo -o json | jq '.root_causes'
  updoc demo --print-config    # the lab's graph file: an example of every feature`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runF(cmd.Context(), opts) },
	}
	cmd.Flags().BoolVar(&opts.PrintConfig, "print-config", false, "print the lab's graph file and exit (it validates on its own; its ports live only while a demo runs)")
	addRunFlags(cmd, &opts.Run)
	return cmd
}

func runDemo(ctx context.Context, opts *DemoOptions) (err error) {
	if opts.PrintConfig && (opts.Run.Output != "table" || opts.Run.TUI) {
		format := opts.Run.Output
		if opts.Run.TUI {
			format = "tui"
		}
		return invalid(fmt.Errorf("--print-config prints the lab's graph file (YAML), so --output %s does not apply: leave out -o to print the graph, or leave out --print-config to run the demo with -o %s", format, format))
	}
	if err := opts.Run.validate(opts.IO); err != nil {
		return err
	}
	l, err := lab.Start(ctx)
	if err != nil {
		return fmt.Errorf("start the fault lab: %w", err)
	}
	defer func() {
		if cerr := l.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("stop the fault lab: %w", cerr)
		}
	}()
	if opts.PrintConfig {
		if _, err := opts.IO.Out.Write(l.PrintedConfig()); err != nil {
			return fmt.Errorf("print the fault lab's graph: %w", err)
		}
		return nil
	}
	cfg := l.Config()
	opts.Run.Rerun = catalog.RerunWith("updoc demo")
	opts.Run.LabCAFile = l.CAFile()
	g, err := graph.Load("updoc-lab.yaml", cfg, l.Env(opts.Env))
	if err != nil {
		return fmt.Errorf("the fault lab's own graph is invalid (a bug in updoc, please report it): %w", err)
	}
	return runGraph(ctx, opts.Factory, g, opts.Run, false)
}
