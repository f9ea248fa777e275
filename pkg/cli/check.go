package cli

import (
	"context"

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

func addFileFlag(cmd *cobra.Command, file *string) {
	cmd.Flags().StringVarP(file, "file", "f", "", "graph file (default ./updoc.yaml, then ./updoc.yml; - reads standard input)")
	_ = cmd.MarkFlagFilename("file", "yaml", "yml")
}

func runCheck(ctx context.Context, opts *CheckOptions) error {
	if err := opts.Run.validate(opts.IO); err != nil {
		return err
	}
	g, err := graph.LoadFile(opts.File, opts.IO.In, opts.Env)
	if err != nil {
		return invalid(err)
	}
	return runGraph(ctx, opts.Factory, g, opts.Run, false)
}
