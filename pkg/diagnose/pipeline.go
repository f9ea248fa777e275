package diagnose

import (
	"context"
	"errors"
	"slices"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"

	"github.com/updoc/updoc/pkg/report"
)

// Diagnose classifies the results and builds the report. Upstreams of the
// graph without a result (not probed: --only, --tags) are absent from it.
//
// The steps, in order; each takes findings and returns new ones, none
// changes what another made:
//
//  1. per upstream (judgeUpstream): classify each layer's facts, apply
//     the policy, one cause per target, the replica rule;
//  2. over the graph (attribute, with the graph index built once):
//     dependency.unhealthy and root_cause;
//  3. statuses;
//  4. the root-cause list;
//  5. the report values.
//
// Diagnose honours ctx: once it ends (an interrupt, --deadline) no further
// step or chunk of upstreams starts, and Diagnose returns at once with
// ctx's error and the report Interrupted makes of in — every upstream
// unknown, its results probed but not judged.
func Diagnose(ctx context.Context, in Input) (report.Report, error) {
	return diagnoseOn(ctx, in, 0)
}

// diagnoseOn is Diagnose with its per-upstream steps on up to workers
// goroutines (0: GOMAXPROCS; see acrossCores).
func diagnoseOn(ctx context.Context, in Input, workers int) (report.Report, error) {
	stop := func(err error) (report.Report, error) { return Interrupted(in, err), err }
	d := newDiagnosis(in)
	d.workers = workers
	gi := newGraphIndex(in.Graph)
	subjects, err := d.subjects(ctx, gi, in.Results)
	if err != nil {
		return stop(err)
	}

	// Steps 1 and 5 read only their own upstream: across cores (the
	// results land at their own index, so the order is the same).
	own := make([][]finding, len(subjects))
	if err := acrossCores(ctx, len(subjects), d.workers, func(from, to int) {
		for k := from; k < to; k++ {
			own[k] = judgeUpstream(subjects[k])
		}
	}); err != nil {
		return stop(err)
	}
	final, err := attribute(ctx, gi, subjects, own)
	if err != nil {
		return stop(err)
	}
	statuses := make([]report.Status, len(subjects))
	for k := range subjects {
		statuses[k] = statusOf(final[k])
	}
	causes, err := rootCauses(ctx, gi, subjects, final)
	if err != nil {
		return stop(err)
	}

	rep := report.Report{
		Schema:       report.Schema,
		UpdocVersion: in.Version,
		StartedAt:    in.StartedAt,
		DurationMS:   ms(in.Duration),
		Status:       report.Healthy,
		RootCauses:   causes,
		Upstreams:    make([]report.Upstream, len(subjects)),
	}
	if err := acrossCores(ctx, len(subjects), d.workers, func(from, to int) {
		for k := from; k < to; k++ {
			rep.Upstreams[k] = upstreamReport(subjects[k], final[k], statuses[k])
		}
	}); err != nil {
		return stop(err)
	}
	for _, st := range statuses {
		rep.Status = report.WorstStatus(rep.Status, st)
	}
	rep.Summary = report.Summarize(rep.Upstreams)
	return rep, nil
}

// Interrupted is the report of a diagnosis that cause (context.Canceled,
// context.DeadlineExceeded) cut short: every upstream of in.Results is
// unknown, with one run.interrupted (or run.deadline_exceeded) finding
// saying its results were probed but not judged; no fact is judged, so
// nothing is a root cause (SPEC §5).
func Interrupted(in Input, cause error) report.Report {
	code, what := catalog.RunInterrupted, "the run was interrupted"
	if errors.Is(cause, context.DeadlineExceeded) {
		code, what = catalog.RunDeadlineExceeded, "the run deadline was exceeded"
	}
	byName := make(map[string]*graph.Upstream, len(in.Results))
	if in.Graph != nil {
		for _, u := range in.Graph.Upstreams {
			byName[u.Name] = u
		}
	}
	d := newDiagnosis(in)
	rep := report.Report{
		Schema:       report.Schema,
		UpdocVersion: in.Version,
		StartedAt:    in.StartedAt,
		DurationMS:   ms(in.Duration),
		Status:       report.Unknown,
		Upstreams:    make([]report.Upstream, 0, len(in.Results)),
	}
	for i := range in.Results {
		res := &in.Results[i]
		up := byName[res.Upstream]
		if up == nil {
			up = &graph.Upstream{Name: res.Upstream}
		}
		s := newSubject(d, up, res, i)
		fs := applyPolicy(s, []draft{{
			Code:     code,
			Target:   -1,
			Message:  what + " while the results were diagnosed: " + up.Name + " was probed but not judged",
			Evidence: map[string]any{"phase": "diagnosis", "error": cause.Error()},
		}})
		u := report.Upstream{Name: up.Name, URL: s.displayURL(), Description: up.Description, Status: report.Unknown,
			DependsOn: up.DependsOn, Findings: make([]report.Finding, 0, len(fs))}
		for _, f := range fs {
			u.Findings = append(u.Findings, f.Finding)
		}
		rep.Upstreams = append(rep.Upstreams, u)
	}
	rep.Summary = report.Summarize(rep.Upstreams)
	return rep
}

// judgeUpstream is the pipeline of one upstream, up to its own findings:
//
//  1. classify each layer's facts into drafts — dns (the URL host's and
//     each target name's), then per target tcp, tls and http —, note the
//     proxy in those about connecting (proxy.go), and apply the graph's
//     policy to them;
//  2. latency: judged only for targets whose lower layers did not fail as
//     the policy left them (so "ignore" or "warn" on tcp.refused lets a
//     target's latency be judged), per target, then across targets;
//  3. run.*: the run ended before the upstream finished;
//  4. one cause per target, in the order the findings were made: dns,
//     then each target's tcp, tls, http and latency, then the upstream's;
//  5. the replica rule.
func judgeUpstream(s *subject) []finding {
	dns := applyPolicy(s, proxyNotes(s, classifyDNS(s)))
	conn := make([][]finding, len(s.res.Targets))
	for i := range s.res.Targets {
		conn[i] = applyPolicy(s, proxyNotes(s, slices.Concat(classifyTCP(s, i), classifyTLS(s, i), classifyHTTP(s, i))))
	}
	judged := latencyJudged(s, slices.Concat(dns, slices.Concat(conn...)))

	fs := dns
	for i := range s.res.Targets {
		fs = slices.Concat(fs, conn[i], applyPolicy(s, classifyLatency(s, i, judged[i])))
	}
	fs = slices.Concat(fs,
		applyPolicy(s, compareLatency(s, judged)),
		applyPolicy(s, classifyUnfinished(s)),
	)
	return replicaRule(s, oneCausePerTarget(fs))
}
