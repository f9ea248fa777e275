package report

import "sort"

// Worst first (issue 10): the tables list the upstreams that are root
// causes, then the other unhealthy ones, unknown, degraded, healthy — in
// file order within each.

// statusOrder ranks statuses worst first.
func statusOrder(s Status) int {
	switch s {
	case Unhealthy:
		return 0
	case Unknown, "":
		return 1
	case Degraded:
		return 2
	default:
		return 3
	}
}

// WorstFirst is r's upstreams in table order; the TUI lists them in it too.
func (r *Report) WorstFirst() []*Upstream {
	roots := map[string]bool{}
	for _, rc := range r.RootCauses {
		roots[rc.Upstream] = true
	}
	rank := func(u *Upstream) int {
		k := statusOrder(u.Status)
		if !roots[u.Name] {
			k += 4
		}
		return k
	}
	out := make([]*Upstream, len(r.Upstreams))
	for i := range r.Upstreams {
		out[i] = &r.Upstreams[i]
	}
	sort.SliceStable(out, func(a, b int) bool { return rank(out[a]) < rank(out[b]) })
	return out
}

// foldedGroupSize is the least members a root-cause group has for its
// upstreams to share one row of the table.
const foldedGroupSize = 3

// foldedGroups maps each upstream that shares a table row to its group:
// the members of a group of foldedGroupSize or more whose primary finding
// is the group's code.
func (r *Report) foldedGroups(l *lookup) map[string]*RootCauseGroup {
	out := map[string]*RootCauseGroup{}
	groups := r.RootCauseGroups()
	for i := range groups {
		g := &groups[i]
		if len(g.Upstreams) < foldedGroupSize {
			continue
		}
		for _, name := range g.Upstreams {
			u := l.upstream(name)
			if u == nil {
				continue
			}
			if k := u.PrimaryFinding(); k >= 0 && u.Findings[k].Code == g.Code {
				out[name] = g
			}
		}
	}
	return out
}
