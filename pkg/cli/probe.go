package cli

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/updoc/updoc/pkg/graph"
)

// ProbeOptions are the inputs of `updoc probe`.
type ProbeOptions struct {
	*Factory
	URLs []string
	Run  RunFlags
}

func newProbeCmd(f *Factory, runF func(context.Context, *ProbeOptions) error) *cobra.Command {
	opts := &ProbeOptions{Factory: f}
	if runF == nil {
		runF = runProbe
	}
	cmd := &cobra.Command{
		Use:   "probe URL [URL...]",
		Short: "Probe URLs ad hoc, with no graph file",
		Long: `Probe each URL as a one-node graph (schemes http, https, tcp, tls) and print the
report. The table adds a phase waterfall (dns, connect, tls, ttfb, transfer) per target.`,
		Example: `  updoc probe https://api.example.com/healthz
  updoc probe tcp://db.internal:5432 tls://mq.internal:5671 -o json`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return errors.New("probe needs at least one URL, e.g. updoc probe https://api.example.com/healthz (schemes http, https, tcp, tls)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.URLs = args
			return runF(cmd.Context(), opts)
		},
	}
	addRunFlags(cmd, &opts.Run)
	return cmd
}

func runProbe(ctx context.Context, opts *ProbeOptions) error {
	if err := opts.Run.validate(opts.IO); err != nil {
		return err
	}
	g, err := graph.FromURLs(opts.URLs)
	if err != nil {
		return invalid(err)
	}
	return runGraph(ctx, opts.Factory, g, opts.Run, true)
}
