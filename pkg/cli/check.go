package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/updoc/updoc/pkg/graph"
)

// CheckOptions are the inputs of `updoc check`.
type CheckOptions struct {
	*Factory
	File string // "" = ./updoc.yaml then ./updoc.yml; "-" = stdin
	Run  RunFlags
}

func newCheckCmd(f *Factory, runF func(context.Context, *CheckOptions) error) *cobra.Command {
	opts := &CheckOptions{Factory: f}
	if runF == nil {
		runF = runCheck
	}
	cmd := &cobra.Command{
		Use:   "check [-f FILE]",
		Short: "Probe every upstream of the graph once and print the diagnosis",
		Long: `Probe every upstream of the graph once, layer by layer, and print the report.

Exit status: 0 when the status is better than --fail-on, 1 when it reached it,
2 for invalid input, 130 when interrupted.`,
		Example: `  updoc check -f updoc.yaml
  updoc check -o json | jq '.root_causes'
  updoc check --only users,orders --timeout 2s
  cat updoc.yaml | updoc check -f -`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runF(cmd.Context(), opts)
		},
	}
	addFileFlag(cmd, &opts.File)
	addRunFlags(cmd, &opts.Run)
	return cmd
}

// loadGraph loads the graph file of -f. Ctrl-C while it loads exits 130;
// deadline (--deadline; 0: none) bounds the loading too, separately from the
// run that follows: a file that takes longer is an exit-2 error. Every
// other problem is invalid input (exit 2).
func loadGraph(ctx context.Context, f *Factory, file string, deadline time.Duration) (*graph.Graph, error) {
	if deadline > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, deadline)
		defer cancel()
	}
	g, err := graph.LoadFile(ctx, file, f.IO.In, f.Env)
	var stopped *graph.StoppedError
	switch {
	case err == nil:
		return g, nil
	case !errors.As(err, &stopped):
		return nil, invalid(err)
	case errors.Is(err, context.DeadlineExceeded):
		return nil, invalid(fmt.Errorf("the graph file %s did not load within --deadline %s; raise --deadline, or split the file", stopped.File, deadline))
	}
	return nil, &ExitError{Code: ExitInterrupted, Err: fmt.Errorf("interrupted while loading the graph file %s", stopped.File)}
}

func addFileFlag(cmd *cobra.Command, file *string) {
	cmd.Flags().StringVarP(file, "file", "f", "", "graph file (default ./updoc.yaml, then ./updoc.yml; - reads standard input)")
	_ = cmd.MarkFlagFilename("file", "yaml", "yml")
}

func runCheck(ctx context.Context, opts *CheckOptions) error {
	if err := opts.Run.validate(opts.IO); err != nil {
		return err
	}
	g, err := loadGraph(ctx, opts.Factory, opts.File, opts.Run.Deadline)
	if err != nil {
		return err
	}
	return runGraph(ctx, opts.Factory, g, opts.Run, false)
}
