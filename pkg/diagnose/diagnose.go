package diagnose

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
)

// Input is everything Diagnose looks at.
type Input struct {
	Graph     *graph.Graph
	Results   []probe.Result // one per upstream probed, graph order
	StartedAt time.Time
	Duration  time.Duration
	Version   string    // updoc version for the report
	Now       time.Time // for certificate days_left, sunset dates; zero means StartedAt+Duration

	// Rerun returns the command that re-runs the named upstreams (the whole
	// run when none is named), as remediation steps suggest it: the user
	// must be able to paste it where the report was made. nil: derived from
	// Graph by DefaultRerun (`updoc check -f FILE --only NAME`, or
	// `updoc probe URL` for a graph built from URLs). `updoc demo`, whose
	// graph file is not on disk, sets catalog.RerunWith("updoc demo"); a caller's
	// Rerun() (no names) also stands in for `updoc graph --check`.
	Rerun func(upstreams ...string) string
	// LabCAFile is the demo lab's temporary CA file (updoc demo; "" for
	// any other run): it is gone when the demo exits, so commands for an
	// upstream whose tls.ca_file it is use -k and say so.
	LabCAFile string
}

// newDiagnosis builds what every rule of the diagnosis reads, once: the
// clock, the policy and the commands.
func newDiagnosis(in Input) *diagnosis {
	now := in.Now
	if now.IsZero() {
		now = in.StartedAt.Add(in.Duration)
	}
	d := &diagnosis{now: now, cmds: commandsFor(in), labCAFile: in.LabCAFile}
	if in.Graph != nil {
		d.policy = in.Graph.Policy
	}
	return d
}

// subjects pairs each result with its graph node, in report order:
// upstreams in graph order, then results without a graph node (defensive)
// in result order.
func (d *diagnosis) subjects(ctx context.Context, gi graphIndex, results []probe.Result) ([]*subject, error) {
	out := make([]*subject, len(results))
	err := acrossCores(ctx, len(results), d.workers, func(from, to int) {
		for i := from; i < to; i++ {
			res := &results[i]
			up := gi.byName[res.Upstream]
			if up == nil {
				up = &graph.Upstream{Name: res.Upstream}
			}
			out[i] = newSubject(d, up, res, gi.orderOf(res.Upstream, i))
		}
	})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(out, func(a, b *subject) int { return cmp.Compare(a.order, b.order) })
	return out, nil
}
