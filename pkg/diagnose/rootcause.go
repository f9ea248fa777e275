package diagnose

import (
	"cmp"
	"context"
	"slices"

	"github.com/updoc/updoc/internal/textfmt"
	"github.com/updoc/updoc/pkg/report"
)

// rootCauses lists the root-cause findings (fail, then warn) with the
// upstreams they affect: most affected first, then fail before warn, then
// graph order, then report order. Several findings of one code and
// severity on one upstream (one per target) are one entry. fs holds each
// subject's final findings.
func rootCauses(ctx context.Context, gi graphIndex, subjects []*subject, fs [][]finding) ([]report.RootCause, error) {
	type entry struct {
		report.RootCause
		order, seq, n int
	}
	var list []*entry
	index := map[[3]string]*entry{}
	var inReport map[string]bool // made at the first upstream with dependents
	for k, s := range subjects {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		// Affects lists only upstreams of this report: the graph is already
		// the --only/--tags selection, and an upstream without a result was
		// not probed, so nothing is known about it. Walked only for an
		// upstream with a root cause.
		var affects []string
		walked := false
		for _, f := range inReportOrder(fs[k]) {
			if !f.RootCause {
				continue
			}
			if !walked {
				walked = true
				deps := gi.dependents(s.up.Name)
				if len(deps) > 0 && inReport == nil {
					inReport = make(map[string]bool, len(subjects))
					for _, s := range subjects {
						inReport[s.up.Name] = true
					}
				}
				for _, n := range deps {
					if inReport[n] {
						affects = append(affects, n)
					}
				}
			}
			key := [3]string{s.up.Name, f.Code, string(f.Severity)}
			if e := index[key]; e != nil {
				e.n++
				continue
			}
			e := &entry{
				RootCause: report.RootCause{
					Upstream: s.up.Name,
					Code:     f.Code,
					Severity: f.Severity,
					Target:   f.Target,
					Message:  f.Message,
					Affects:  append([]string{}, affects...),
				},
				order: s.order,
				seq:   len(list),
				n:     1,
			}
			index[key] = e
			list = append(list, e)
		}
	}
	slices.SortStableFunc(list, func(a, b *entry) int {
		if c := cmp.Compare(len(b.Affects), len(a.Affects)); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Severity.Rank(), a.Severity.Rank()); c != 0 {
			return c
		}
		if c := cmp.Compare(a.order, b.order); c != 0 {
			return c
		}
		return cmp.Compare(a.seq, b.seq)
	})
	out := make([]report.RootCause, 0, len(list))
	for _, e := range list {
		if e.n > 1 {
			e.Target = ""
			e.Message += " (and " + textfmt.Plural(e.n-1, "more target") + ")"
		}
		out = append(out, e.RootCause)
	}
	return out, nil
}
