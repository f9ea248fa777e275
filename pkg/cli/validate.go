package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/updoc/updoc/internal/textfmt"
)

// ValidateOptions are the inputs of `updoc validate`.
type ValidateOptions struct {
	*Factory
	File  string
	Quiet bool
}

func newValidateCmd(f *Factory, runF func(context.Context, *ValidateOptions) error) *cobra.Command {
	opts := &ValidateOptions{Factory: f}
	if runF == nil {
		runF = runValidate
	}
	cmd := &cobra.Command{
		Use:   "validate [-f FILE]",
		Short: "Parse and validate the graph file; no network",
		Long: `Parse and validate the graph file without touching the network.
Every problem is reported as FILE:LINE:COLUMN; exit 0 when valid, 2 when not.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runF(cmd.Context(), opts) },
	}
	addFileFlag(cmd, &opts.File)
	cmd.Flags().BoolVarP(&opts.Quiet, "quiet", "q", false, "print nothing; the exit code tells")
	return cmd
}

func runValidate(ctx context.Context, opts *ValidateOptions) error {
	g, err := loadGraph(ctx, opts.Factory, opts.File, 0)
	if err != nil {
		return err
	}
	if !opts.Quiet {
		names := g.Names()
		fmt.Fprintf(opts.IO.Out, "%s: valid, %s: %s\n", g.File, textfmt.Plural(len(names), "upstream"), textfmt.ListSome(names, 10))
	}
	return nil
}
