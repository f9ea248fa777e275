package diagnose

import (
	"slices"

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
func Diagnose(in Input) report.Report {
	return diagnoseOn(in, 0)
}

// diagnoseOn is Diagnose with its per-upstream steps on up to workers
// goroutines (0: GOMAXPROCS; see acrossCores).
func diagnoseOn(in Input, workers int) report.Report {
	d := newDiagnosis(in)
	d.workers = workers
	gi := newGraphIndex(in.Graph)
	subjects := d.subjects(gi, in.Results)

	// Steps 1 and 5 read only their own upstream: across cores (the
	// results land at their own index, so the order is the same).
	own := make([][]finding, len(subjects))
	acrossCores(len(subjects), d.workers, func(from, to int) {
		for k := from; k < to; k++ {
			own[k] = judgeUpstream(subjects[k])
		}
	})
	final := attribute(gi, subjects, own)
	statuses := make([]report.Status, len(subjects))
	for k := range subjects {
		statuses[k] = statusOf(final[k])
	}
	causes := rootCauses(gi, subjects, final)

	rep := report.Report{
		Schema:       report.Schema,
		UpdocVersion: in.Version,
		StartedAt:    in.StartedAt,
		DurationMS:   ms(in.Duration),
		Status:       report.Healthy,
		RootCauses:   causes,
		Upstreams:    make([]report.Upstream, len(subjects)),
	}
	acrossCores(len(subjects), d.workers, func(from, to int) {
		for k := from; k < to; k++ {
			rep.Upstreams[k] = upstreamReport(subjects[k], final[k], statuses[k])
		}
	})
	for _, st := range statuses {
		rep.Status = report.WorstStatus(rep.Status, st)
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
