package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/updoc/updoc/internal/textsafe"
	"github.com/updoc/updoc/pkg/engine"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/iostreams"
	"github.com/updoc/updoc/pkg/report"
	"github.com/updoc/updoc/pkg/version"
)

// Exit codes (SPEC §6).
const (
	ExitOK          = 0
	ExitUnhealthy   = 1
	ExitInvalid     = 2
	ExitInterrupted = 130
)

// ExitError carries a process exit code. A nil Err means the code is the
// whole message (the report has already been printed).
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// invalid wraps err as invalid input (exit 2).
func invalid(err error) error { return &ExitError{Code: ExitInvalid, Err: err} }

// hintedError is an error followed, on its own lines, by what to do next.
type hintedError struct {
	err  error
	hint string
}

// withHint adds what to do next to err: "ERR\nHINT".
func withHint(err error, hint string) error { return &hintedError{err: err, hint: hint} }

func (e *hintedError) Error() string { return e.err.Error() + "\n" + e.hint }
func (e *hintedError) Unwrap() error { return e.err }

// Env looks variables up; tests pass their own.
type Env func(string) (string, bool)

// EngineFunc runs the pipeline over a graph: engine.Run, or a fake in tests.
type EngineFunc func(ctx context.Context, g *graph.Graph, opts engine.Options, observe engine.Observer) report.Report

// Factory is what every command gets: the terminal, the environment and the
// engine. Tests build one with fake streams and, to run a command without
// the network, a fake Engine (the gh CLI's cmdutil.Factory, reduced).
type Factory struct {
	IO  *iostreams.IOStreams
	Env Env
	// Engine runs the pipeline; nil means engine.Run.
	Engine EngineFunc
}

// run runs the engine (engine.Run unless a test gave another).
func (f *Factory) run(ctx context.Context, g *graph.Graph, opts engine.Options, observe engine.Observer) report.Report {
	if f.Engine != nil {
		return f.Engine(ctx, g, opts, observe)
	}
	return engine.Run(ctx, g, opts, observe)
}

// Main runs updoc with args and returns the process exit code. It is the only
// place errors are printed.
func Main(ctx context.Context, ios *iostreams.IOStreams, args []string) int {
	root := NewRootCmd(ios, os.LookupEnv)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	return exitCode(ios, err)
}

// exitCode prints err, if any, and returns the exit code it means. What
// an error says can quote the graph file, a flag or a server: it is
// printed through textsafe.String, so that no control or bidi character
// in it reaches the terminal (issue 12).
func exitCode(ios *iostreams.IOStreams, err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		var fileErrs graph.Errors
		switch {
		case ee.Err == nil:
		case errors.As(ee.Err, &fileErrs):
			// FILE:LINE:COLUMN: message, one a line, as compilers print
			// them, so editors and CI annotators can jump to each.
			fmt.Fprintln(ios.ErrOut, textsafe.String(fileErrs.Error()))
		default:
			fmt.Fprintf(ios.ErrOut, "updoc: %s\n", textsafe.String(ee.Err.Error()))
		}
		return ee.Code
	}
	// Anything cobra itself reports (unknown command, bad flag) is invalid input.
	fmt.Fprintf(ios.ErrOut, "updoc: %s\n", textsafe.String(err.Error()))
	return ExitInvalid
}

// NewRootCmd builds the command tree on ios and env, with the real engine.
func NewRootCmd(ios *iostreams.IOStreams, env Env) *cobra.Command {
	return newRootCmd(&Factory{IO: ios, Env: env})
}

// newRootCmd builds the command tree for f.
func newRootCmd(f *Factory) *cobra.Command {
	ios := f.IO
	root := &cobra.Command{
		Use:   "updoc",
		Short: "The upstream doctor: why is there no healthy upstream, and what do I do about it?",
		Long: `updoc probes a declared graph of upstreams layer by layer (DNS, TCP, TLS, HTTP,
deprecation headers, latency), names the cause of every failure, traces symptoms back to
their root causes through the dependency graph, and prints what to do about each.

Start with:  updoc demo          (a built-in fault lab on loopback, no setup)
Then:        updoc check -f updoc.yaml
Ad hoc:      updoc probe https://api.example.com/healthz`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version.Get().Version,
	}
	root.SetVersionTemplate("updoc {{.Version}}\n")
	// --version without cobra's -v shorthand: -v is --verbose on the
	// commands that have it, and nowhere else.
	root.Flags().Bool("version", false, "print updoc's version")
	root.SetIn(ios.In)
	root.SetOut(ios.Out)
	root.SetErr(ios.ErrOut)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		hint := "Run '" + c.CommandPath() + " --help' for usage."
		if c == root && strings.Contains(err.Error(), "'v' in -v") {
			hint = "-v is --verbose on check, probe, watch and demo; the version is 'updoc --version'."
		}
		return invalid(withHint(err, hint))
	})
	root.AddCommand(
		newCheckCmd(f, nil),
		newProbeCmd(f, nil),
		newValidateCmd(f, nil),
		newExplainCmd(f, nil),
		newGraphCmd(f, nil),
		newWatchCmd(f, nil),
		newServeCmd(f, nil),
		newDemoCmd(f, nil),
		newVersionCmd(f),
	)
	fixCompletionCmd(root)
	return root
}

// fixCompletionCmd makes cobra's completion command refuse a shell it has
// no script for (`updoc completion tcsh`) with exit 2 and the list,
// instead of printing its help and exiting 0.
func fixCompletionCmd(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		var shells []string
		for _, sub := range c.Commands() {
			shells = append(shells, sub.Name())
		}
		c.Args = cobra.ArbitraryArgs
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmd.Help()
			}
			return invalid(fmt.Errorf("updoc has no completion for the shell %q; the supported shells are %s: e.g. updoc completion %s",
				args[0], strings.Join(shells, ", "), shells[0]))
		}
	}
}

// noArgs rejects positional arguments with a message that says what the
// command takes instead.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	hint := ""
	if cmd.Flags().Lookup("file") != nil {
		hint = "; name the graph file with -f " + args[0]
	}
	return fmt.Errorf("unexpected argument %q: '%s' takes no arguments%s", args[0], cmd.CommandPath(), hint)
}
