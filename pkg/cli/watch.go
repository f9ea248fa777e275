package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/updoc/updoc/internal/textfmt"
	"github.com/updoc/updoc/pkg/engine"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/report"
	"github.com/updoc/updoc/pkg/tui"
)

// WatchOptions are the inputs of `updoc watch`.
type WatchOptions struct {
	*Factory
	File     string
	Interval time.Duration
	Count    int // rounds to run in a pipe; 0 = until interrupted
	Run      RunFlags
}

func newWatchCmd(f *Factory, runF func(context.Context, *WatchOptions) error) *cobra.Command {
	opts := &WatchOptions{Factory: f}
	if runF == nil {
		runF = runWatch
	}
	cmd := &cobra.Command{
		Use:   "watch [-f FILE] [--interval 10s]",
		Short: "Re-probe on an interval: a live TUI in a terminal, one line per round in a pipe",
		Long: `Re-probe the graph every --interval until you quit (q or Ctrl-C). Rounds never overlap.

In a terminal this is the live TUI: the root cause on top, upstreams whose status changed
marked, a latency sparkline per upstream, the evidence one key (enter) away.
When standard output is not a terminal it prints one summary line per round instead,
or, with -o json, one JSON report per line (JSON Lines).`,
		Example: `  updoc watch -f updoc.yaml --interval 5s
  updoc watch -o json | jq -c '{status, root_causes}'
  updoc watch --count 3 > rounds.log`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runF(cmd.Context(), opts) },
	}
	addFileFlag(cmd, &opts.File)
	cmd.Flags().DurationVar(&opts.Interval, "interval", 10*time.Second, "time between the end of one round and the start of the next")
	cmd.Flags().IntVar(&opts.Count, "count", 0, "in a pipe, stop after this many rounds (0: until interrupted)")
	addRunFlags(cmd, &opts.Run)
	cmd.Flags().Lookup("output").Usage = "table (the TUI in a terminal, summary lines in a pipe), json (one report per line) or tui"
	return cmd
}

func runWatch(ctx context.Context, opts *WatchOptions) error {
	if opts.Interval <= 0 {
		return invalid(fmt.Errorf("invalid --interval %s: want a positive duration such as 10s", opts.Interval))
	}
	if opts.Count < 0 {
		return invalid(fmt.Errorf("invalid --count %d: want 0 (until interrupted) or more", opts.Count))
	}
	f := &opts.Run
	if err := f.validate(opts.IO); err != nil {
		return err
	}
	switch f.Output {
	case "table", "json", "tui":
	default:
		return invalid(fmt.Errorf("watch prints a live TUI, summary lines or JSON lines: -o %s is not supported (use check -o %s for one report)", f.Output, f.Output))
	}
	g, err := loadGraph(ctx, opts.Factory, opts.File, f.Deadline)
	if err != nil {
		return err
	}
	if g, err = selectUpstreams(g, *f); err != nil {
		return err
	}
	if f.Output == "tui" || (f.Output == "table" && opts.IO.IsStdoutTTY() && !f.Quiet) {
		return runTUI(ctx, opts.Factory, g, *f, opts.Interval)
	}
	return watchLines(ctx, opts.Factory, g, *f, opts.Interval, opts.Count)
}

// runTUI runs the live TUI over g; interval 0 probes once and then on `r`.
// A signal from outside (SIGINT, SIGTERM) exits 130. Quitting (q, Ctrl-C)
// ends `watch` with 0: stopping a monitor is the user's choice (issue 5).
// `check --tui` and `demo --tui` (interval 0) exit like `check` (SPEC §6)
// with the status of the report on screen, or 130 when the user quit while
// a round was still running: that round's status is not known (issue 10).
func runTUI(ctx context.Context, fac *Factory, g *graph.Graph, f RunFlags, interval time.Duration) error {
	ios := fac.IO
	eopts := f.engineOptions()
	round := func(ctx context.Context, observe engine.Observer) report.Report {
		return fac.run(ctx, g, eopts, observe)
	}
	in := ios.In
	if !ios.IsStdinTTY() {
		in = nil // the graph came on stdin, or stdin is not a terminal: read keys from the terminal
	}
	res, err := tui.Run(ctx, in, ios.Out, round, tui.Options{Interval: interval, Title: g.File, Color: ios.ColorEnabled()})
	switch {
	case ctx.Err() != nil:
		return &ExitError{Code: ExitInterrupted}
	case err != nil:
		return fmt.Errorf("terminal UI: %w", err)
	case interval > 0:
		return nil
	case res.RoundCut || res.Report == nil:
		return &ExitError{Code: ExitInterrupted}
	}
	return statusExit(ctx, *res.Report, f.FailOn)
}

// watchLines runs rounds until ctx ends (or count rounds), printing one
// summary line — or one JSON document — per round.
func watchLines(ctx context.Context, fac *Factory, g *graph.Graph, f RunFlags, interval time.Duration, count int) error {
	ios := fac.IO
	eopts := f.engineOptions()
	var prev, last *report.Report
	for round := 1; count == 0 || round <= count; round++ {
		rep := fac.run(ctx, g, eopts, nil)
		if ctx.Err() != nil && round > 1 {
			break // interrupted mid-round: the previous line stands
		}
		last = &rep
		if !f.Quiet {
			var err error
			if f.Output == "json" {
				err = report.WriteJSONLine(ios.Out, &rep)
			} else {
				err = writeSummaryLine(ios.Out, round, &rep, prev)
			}
			if err != nil {
				return fmt.Errorf("write round %d: %w", round, err)
			}
		}
		prev = &rep
		if ctx.Err() != nil || (count != 0 && round == count) {
			break
		}
		select {
		case <-ctx.Done():
		case <-time.After(interval):
		}
		if ctx.Err() != nil {
			break
		}
	}
	return statusExit(ctx, *last, f.FailOn)
}

// writeSummaryLine prints one round: time, status, counts, root causes and
// the upstreams whose status changed since the previous round.
func writeSummaryLine(w io.Writer, round int, r, prev *report.Report) error {
	var b strings.Builder
	unknown := ""
	if r.Summary.Unknown > 0 {
		unknown = fmt.Sprintf(" %d unknown,", r.Summary.Unknown)
	}
	fmt.Fprintf(&b, "%s round %d %s: %s, %d healthy, %d degraded,%s %d unhealthy in %s",
		r.StartedAt.UTC().Format(time.RFC3339), round, r.Status, textfmt.Plural(r.Summary.Total, "upstream"),
		r.Summary.Healthy, r.Summary.Degraded, unknown, r.Summary.Unhealthy, (time.Duration(r.DurationMS * float64(time.Millisecond))).Round(time.Millisecond))
	if groups := r.RootCauseGroups(); len(groups) > 0 {
		const shown = 3
		var causes []string
		for i, g := range groups {
			if i == shown {
				causes = append(causes, fmt.Sprintf("+%d more", len(groups)-shown))
				break
			}
			causes = append(causes, watchCause(r, g))
		}
		fmt.Fprintf(&b, "; root causes: %s", strings.Join(causes, ", "))
	}
	if prev != nil {
		var changed []string
		before := prev.ByName()
		for _, u := range r.Upstreams {
			if p := before[u.Name]; p != nil && p.Status != u.Status {
				changed = append(changed, fmt.Sprintf("%s %s→%s", u.Name, p.Status, u.Status))
			}
		}
		if len(changed) > 0 {
			fmt.Fprintf(&b, "; changed: %s", strings.Join(changed, ", "))
		}
	}
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// watchCause is a root-cause group in a watch line: "tcp.refused on
// 127.0.0.1:1 — 500 upstreams (takes down 3)", with one member
// "tcp.refused on 127.0.0.1:1 — gone".
func watchCause(r *report.Report, g report.RootCauseGroup) string {
	c := g.Code
	if g.Where != "" {
		c += " on " + g.Where
	}
	who := g.Upstreams[0]
	if len(g.Upstreams) > 1 {
		who = textfmt.Plural(len(g.Upstreams), "upstream")
	}
	c += " — " + who
	im := g.Impact(r)
	var impact []string
	if len(im.Down) > 0 {
		impact = append(impact, fmt.Sprintf("takes down %d", len(im.Down)))
	}
	if len(im.Degraded) > 0 {
		impact = append(impact, fmt.Sprintf("degrades %d", len(im.Degraded)))
	}
	if len(impact) > 0 {
		c += " (" + strings.Join(impact, ", ") + ")"
	}
	return c
}
