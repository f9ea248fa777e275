package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/updoc/updoc/pkg/engine"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/iostreams"
	"github.com/updoc/updoc/pkg/report"
)

// outputFormats are the values of -o.
var outputFormats = []string{"table", "json", "junit", "markdown", "github", "tui"}

var failOnLevels = []string{"unhealthy", "degraded"}

// RunFlags are the flags shared by check, probe and demo (SPEC §1).
type RunFlags struct {
	Output      string
	TUI         bool // --tui, the same as -o tui
	Only        []string
	Tags        []string
	WithDeps    bool // --with-deps: also probe what the selected upstreams depend on
	Timeout     time.Duration
	Deadline    time.Duration
	Concurrency int
	Samples     int
	FailOn      string
	Color       string
	Quiet       bool
	Verbose     bool
	// Rerun is not a flag: how the report's remediation steps re-run some
	// upstreams; nil derives it from the graph (updoc demo sets its own).
	Rerun func(upstreams ...string) string
	// LabCAFile is not a flag: the demo lab's temporary CA file, which
	// commands in the report do not point at.
	LabCAFile string
	// given reports whether a flag was given on the command line (nil:
	// none was): --timeout and --samples given there beat the graph file.
	given func(flag string) bool
}

func addRunFlags(cmd *cobra.Command, f *RunFlags) {
	fl := cmd.Flags()
	fl.StringVarP(&f.Output, "output", "o", "table", "output format: "+strings.Join(outputFormats, ", "))
	fl.BoolVar(&f.TUI, "tui", false, "live terminal UI (the same as -o tui)")
	fl.BoolVarP(&f.Quiet, "quiet", "q", false, "print nothing; the exit code tells the status")
	fl.BoolVarP(&f.Verbose, "verbose", "v", false, "table output: include passing layers, evidence and every remediation step")
	_ = cmd.RegisterFlagCompletionFunc("output", fixedCompletion(outputFormats))
	addProbeFlags(cmd, f)
}

// selectionFlags pick some upstreams of a graph file.
var selectionFlags = []string{"only", "tags", "with-deps"}

// addProbeFlags adds the flags that shape probing, without the output ones.
func addProbeFlags(cmd *cobra.Command, f *RunFlags) {
	addEngineFlags(cmd, f)
	fl := cmd.Flags()
	fl.StringVar(&f.FailOn, "fail-on", "unhealthy", "lowest status that exits 1: unhealthy or degraded")
	fl.StringVar(&f.Color, "color", "auto", "colour: auto, always or never (with auto, NO_COLOR set means never)")
	_ = cmd.RegisterFlagCompletionFunc("fail-on", fixedCompletion(failOnLevels))
	_ = cmd.RegisterFlagCompletionFunc("color", fixedCompletion(iostreams.ColorModes()))
}

// addEngineFlags adds the flags that select upstreams and shape a run of
// the engine: what serve shares with check, probe, watch and demo.
func addEngineFlags(cmd *cobra.Command, f *RunFlags) {
	f.Output = "table"
	f.FailOn, f.Color = "unhealthy", "auto" // for commands without those flags
	fl := cmd.Flags()
	f.given = func(name string) bool { return fl.Changed(name) }
	fl.StringSliceVar(&f.Only, "only", nil, "probe only these upstreams (comma-separated names)")
	fl.StringSliceVar(&f.Tags, "tags", nil, "probe only upstreams carrying one of these tags")
	fl.BoolVar(&f.WithDeps, "with-deps", false, "with --only or --tags: also probe every upstream the selected ones depend on, transitively")
	fl.DurationVar(&f.Timeout, "timeout", graph.DefaultTimeout, "per-operation timeout (one DNS query, connect, handshake or HTTP exchange); given here, it beats the graph file's")
	fl.DurationVar(&f.Deadline, "deadline", engine.DefaultDeadline, "hard bound on the whole run; unfinished upstreams are reported as run.deadline_exceeded")
	fl.IntVar(&f.Concurrency, "concurrency", engine.DefaultConcurrency, "upstream×target probes in flight at once")
	fl.IntVar(&f.Samples, "samples", graph.DefaultSamples, "latency samples per target (0 disables the latency layer); given here, it beats the graph file's")
	_ = cmd.RegisterFlagCompletionFunc("only", selectionCompletion(func(names, _ []string) []string { return names }))
	_ = cmd.RegisterFlagCompletionFunc("tags", selectionCompletion(func(_, tags []string) []string { return tags }))
}

func fixedCompletion(values []string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}

// validate checks the flag values before anything runs.
func (f *RunFlags) validate(ios *iostreams.IOStreams) error {
	if f.TUI {
		if f.Output != "table" && f.Output != "tui" {
			return invalid(fmt.Errorf("--tui and --output %s contradict each other: choose one", f.Output))
		}
		f.Output = "tui"
	}
	if f.Output == "tui" && !ios.IsStdoutTTY() {
		return invalid(errors.New("the live TUI needs a terminal on standard output; in a pipe use -o table, -o json or `updoc watch`"))
	}
	if !slices.Contains(outputFormats, f.Output) {
		return invalid(fmt.Errorf("invalid --output %q: want one of %s", f.Output, strings.Join(outputFormats, ", ")))
	}
	if !slices.Contains(failOnLevels, f.FailOn) {
		return invalid(fmt.Errorf("invalid --fail-on %q: want unhealthy or degraded", f.FailOn))
	}
	if err := ios.SetColorMode(f.Color); err != nil {
		return invalid(err)
	}
	switch {
	case f.Timeout <= 0:
		return invalid(fmt.Errorf("invalid --timeout %s: want a positive duration such as 5s", f.Timeout))
	case f.Deadline <= 0:
		return invalid(fmt.Errorf("invalid --deadline %s: want a positive duration such as 60s", f.Deadline))
	case f.Concurrency < 1:
		return invalid(fmt.Errorf("invalid --concurrency %d: want 1 or more", f.Concurrency))
	case f.Samples < 0:
		return invalid(fmt.Errorf("invalid --samples %d: want 0 (no latency layer) or more", f.Samples))
	}
	return nil
}

// engineOptions are the engine's options for these flags. --timeout and
// --samples given on the command line beat the graph file (SPEC §1); not
// given, the file's values (or the built-in defaults) stay.
func (f *RunFlags) engineOptions() engine.Options {
	opts := engine.Options{
		Deadline:    f.Deadline,
		Concurrency: f.Concurrency,
		Rerun:       f.Rerun,
		LabCAFile:   f.LabCAFile,
	}
	opts.Timeout = ifGiven(f.given, "timeout", f.Timeout)
	opts.Samples = ifGiven(f.given, "samples", f.Samples)
	return opts
}

// ifGiven returns a pointer to a copy of v when the flag called name was
// given on the command line (given may be nil: none was), else nil.
func ifGiven[T any](given func(string) bool, name string, v T) *T {
	if !wasGiven(given, name) {
		return nil
	}
	return &v
}

// wasGiven reports whether the flag called name was given on the command
// line (given may be nil: none was).
func wasGiven(given func(string) bool, name string) bool {
	return given != nil && given(name)
}

// runGraph runs the engine over g, renders the report and turns its status
// into an exit code: what check, probe and demo do.
func runGraph(ctx context.Context, fac *Factory, g *graph.Graph, f RunFlags, waterfall bool) error {
	ios := fac.IO
	g, err := selectUpstreams(g, f)
	if err != nil {
		return err
	}
	if f.Output == "tui" {
		return runTUI(ctx, fac, g, f, 0)
	}
	showProgress := f.Output == "table" && !f.Quiet && ios.IsStdoutTTY()
	var observe engine.Observer
	if showProgress {
		ios.Progress(fmt.Sprintf("probing 0/%d upstreams…", len(g.Upstreams)))
		observe = func(ev engine.Event) {
			if ev.Kind == engine.UpstreamDone {
				ios.Progress(fmt.Sprintf("probing %d/%d upstreams…", ev.Done, ev.Total))
			}
		}
	}
	rep := fac.run(ctx, g, f.engineOptions(), observe)
	if showProgress {
		ios.StopProgress()
	}
	if err := render(ios, &rep, f, waterfall, outputWidth(ios, fac.Env)); err != nil {
		return err
	}
	return statusExit(ctx, rep, f.FailOn)
}

// selectUpstreams applies --only and --tags, and --with-deps.
func selectUpstreams(g *graph.Graph, f RunFlags) (*graph.Graph, error) {
	if len(f.Only) == 0 && len(f.Tags) == 0 {
		if f.WithDeps {
			return nil, invalid(errors.New("--with-deps adds the dependencies of the upstreams that --only or --tags select; " +
				"without either, every upstream is probed already: add --only NAME or drop --with-deps"))
		}
		return g, nil
	}
	sel, err := g.Select(f.Only, f.Tags)
	if err != nil {
		return nil, invalid(err)
	}
	if f.WithDeps {
		sel = sel.WithDependencies()
	}
	return sel, nil
}

// statusExit maps the run's outcome to the exit code of SPEC §6.
func statusExit(ctx context.Context, rep report.Report, failOn string) error {
	if errors.Is(ctx.Err(), context.Canceled) {
		return &ExitError{Code: ExitInterrupted}
	}
	if reachedFailOn(rep.Status, failOn) {
		return &ExitError{Code: ExitUnhealthy}
	}
	return nil
}

// reachedFailOn: unknown (a probe the run cut short) counts as unhealthy
// (SPEC §5).
func reachedFailOn(s report.Status, failOn string) bool {
	switch s {
	case report.Unhealthy, report.Unknown:
		return true
	case report.Degraded:
		return failOn == "degraded"
	default:
		return false
	}
}

// outputWidth is the width the table is laid out for: the terminal's, or
// in a pipe the COLUMNS variable's when it holds a positive number, else
// report.DefaultWidth.
func outputWidth(ios *iostreams.IOStreams, env Env) int {
	if w := ios.TerminalWidth(0); w > 0 {
		return w
	}
	if env != nil {
		if v, ok := env("COLUMNS"); ok {
			if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n > 0 {
				return n
			}
		}
	}
	return report.DefaultWidth
}

func render(ios *iostreams.IOStreams, r *report.Report, f RunFlags, waterfall bool, width int) error {
	if f.Quiet {
		return nil
	}
	topts := report.TableOptions{
		Verbose:   f.Verbose,
		Color:     ios.ColorEnabled(),
		Waterfall: waterfall,
		Width:     width,
		// On a terminal a table taller than the screen ends with a recap
		// of the headline and the root causes; in a pipe, never.
		Height: ios.TerminalHeight(0),
	}
	var err error
	switch f.Output {
	case "json":
		// Indented at a terminal, for a person; in a pipe or a file, one
		// line — what scripts read: half the bytes, written without the
		// second pass over its output that indenting takes (issue 11).
		// `| jq .` indents it again.
		if ios.IsStdoutTTY() {
			err = report.WriteJSON(ios.Out, r)
		} else {
			err = report.WriteJSONLine(ios.Out, r)
		}
	case "junit":
		err = report.WriteJUnitWith(ios.Out, r, report.JUnitOptions{FailOnDegraded: f.FailOn == "degraded"})
	case "markdown":
		err = report.WriteMarkdown(ios.Out, r)
	case "github":
		// What is not probed goes with the table, where the runner reads
		// no workflow command.
		err = report.WriteGitHubThen(ios.Out, r, topts, func(w io.Writer) error { return writeNotProbed(w, r.NotProbed) })
	default:
		err = report.WriteTable(ios.Out, r, topts)
	}
	if err == nil && f.Output == "table" {
		err = writeNotProbed(ios.Out, r.NotProbed)
	}
	if err != nil {
		return fmt.Errorf("write %s report: %w", f.Output, err)
	}
	return nil
}
