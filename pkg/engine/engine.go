package engine

import (
	"context"
	"time"

	"github.com/updoc/updoc/pkg/diagnose"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
	"github.com/updoc/updoc/pkg/report"
	"github.com/updoc/updoc/pkg/version"
)

// Run defaults (SPEC §1): what a run uses when Options leave a value at
// zero, and the defaults of the --deadline and --concurrency flags.
const (
	DefaultDeadline    = 60 * time.Second
	DefaultConcurrency = 64
)

// Options shape one run of the pipeline. The zero value is a run with the
// graph's own values and the defaults above.
type Options struct {
	// Timeout and Samples are the run's per-operation timeout and latency
	// samples per target (--timeout, --samples given on the command line);
	// they beat the graph file's values (graph.WithRunSettings). nil: the
	// graph's own values.
	Timeout *time.Duration
	Samples *int
	// Deadline bounds the whole run (--deadline); what is unfinished when
	// it ends is reported as run.deadline_exceeded. 0: DefaultDeadline.
	Deadline time.Duration
	// Concurrency is how many upstream×target probes are in flight at
	// once (--concurrency). 0: DefaultConcurrency.
	Concurrency int
	// Rerun is how remediation steps re-run some upstreams (`updoc demo
	// --only NAME`); nil derives it from the graph (diagnose.DefaultRerun).
	Rerun func(upstreams ...string) string
	// LabCAFile is the demo lab's temporary CA file (diagnose.Input.LabCAFile).
	LabCAFile string
	// HostsPath and ResolvConfPath are where the "system" resolver reads;
	// empty means /etc/hosts and /etc/resolv.conf.
	HostsPath      string
	ResolvConfPath string
}

// Event reports the progress of a run (probe.Event): an upstream started,
// one layer of it ended, or it finished.
type Event = probe.Event

// The kinds of Event.
const (
	UpstreamStarted = probe.UpstreamStarted
	LayerDone       = probe.LayerDone
	UpstreamDone    = probe.UpstreamDone
)

// Observer receives the events of a run; it may be nil. It is called from
// one goroutine at a time and must not block for long.
type Observer = probe.Observer

// Run probes every upstream of g, diagnoses what it found, and returns the
// report with every secret of g redacted (SPEC §2). It is the one place the
// pipeline is assembled: every front-end calls it, so none can forget a
// step. Run returns when every probe ended: by itself, at opts.Deadline, or
// when ctx ends (an interrupt); what did not finish is reported as
// run.deadline_exceeded or run.interrupted, never as a fact.
func Run(ctx context.Context, g *graph.Graph, opts Options, observe Observer) report.Report {
	opts = opts.withDefaults()
	g = g.WithRunSettings(graph.RunSettings{Timeout: opts.Timeout, Samples: opts.Samples})

	runCtx, cancel := context.WithTimeout(ctx, opts.Deadline)
	defer cancel()
	started := time.Now()
	results := probe.Run(runCtx, g, probe.Options{
		Concurrency:    opts.Concurrency,
		HostsPath:      opts.HostsPath,
		ResolvConfPath: opts.ResolvConfPath,
	}, observe)
	elapsed := time.Since(started)

	diagCtx, cancelDiag := diagnosisContext(ctx, started.Add(opts.Deadline))
	defer cancelDiag()
	rep, _ := diagnose.Diagnose(diagCtx, diagnose.Input{
		Graph:     g,
		Results:   results,
		StartedAt: started,
		Duration:  elapsed,
		Version:   version.Get().Version,
		Now:       time.Now(),
		Rerun:     opts.Rerun,
		LabCAFile: opts.LabCAFile,
	})
	rep.NotProbed = notProbed(g)
	report.Sanitize(&rep, g.Secrets())
	return rep
}

// diagnosisGrace is the least time a diagnosis gets after the probes ended,
// even past --deadline or after the interrupt that ended them.
const diagnosisGrace = time.Second

// diagnosisContext is what the diagnosis runs under. An interrupt (ctx) or
// the run's deadline that arrives while it runs cuts it short, and the
// report says so for every upstream (diagnose.Interrupted). One that
// already ended the probing does not: it meant "stop probing and judge
// what finished", so the diagnosis gets diagnosisGrace to do that — a
// diagnosis takes milliseconds — and a second interrupt exits at once
// (cmd/updoc).
func diagnosisContext(ctx context.Context, deadline time.Time) (context.Context, context.CancelFunc) {
	grace := time.Now().Add(diagnosisGrace)
	if ctx.Err() != nil {
		return context.WithDeadline(context.WithoutCancel(ctx), grace)
	}
	if deadline.Before(grace) {
		deadline = grace
	}
	return context.WithDeadline(ctx, deadline)
}

// notProbed lists the dependencies a selection of g left out.
func notProbed(g *graph.Graph) []report.NotProbed {
	var out []report.NotProbed
	for _, m := range g.MissingDependencies() {
		out = append(out, report.NotProbed{Upstream: m.Name, NeededBy: m.NeededBy})
	}
	return out
}

func (o Options) withDefaults() Options {
	if o.Deadline <= 0 {
		o.Deadline = DefaultDeadline
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	return o
}
