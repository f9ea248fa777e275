package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/iostreams"
)

// CheckOptions are the inputs of `updoc check`.
type CheckOptions struct {
	IO   *iostreams.IOStreams
	Env  Env
	File string // "" = ./updoc.yaml then ./updoc.yml; "-" = stdin
	Run  RunFlags
}

func newCheckCmd(ios *iostreams.IOStreams, env Env) *cobra.Command {
	opts := &CheckOptions{IO: ios, Env: env}
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
			return runCheck(cmd.Context(), opts)
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
	return runGraph(ctx, opts.IO, g, opts.Run, false)
}
