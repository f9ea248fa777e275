package report

import (
	"sort"
	"strings"

	"github.com/updoc/updoc/pkg/catalog"
)

// StatusRank orders upstream/report statuses (SPEC §5): healthy 0,
// degraded 1, unknown 2, unhealthy 3. An empty status ranks as healthy.
func StatusRank(s Status) int {
	switch s {
	case Unhealthy:
		return 3
	case Unknown:
		return 2
	case Degraded:
		return 1
	default:
		return 0
	}
}

// WorstStatus returns the worse of a and b ("" counts as no status).
func WorstStatus(a, b Status) Status {
	if a == "" || StatusRank(b) > StatusRank(a) {
		return b
	}
	return a
}

// Summarize counts upstreams by status.
func Summarize(us []Upstream) Summary {
	s := Summary{Total: len(us)}
	for _, u := range us {
		switch u.Status {
		case Healthy:
			s.Healthy++
		case Degraded:
			s.Degraded++
		case Unknown:
			s.Unknown++
		case Unhealthy:
			s.Unhealthy++
		}
	}
	return s
}

// LayerStatusRank orders layer statuses: skip 0, pass 1, warn 2, fail 3.
func LayerStatusRank(s LayerStatus) int {
	switch s {
	case LFail:
		return 3
	case LWarn:
		return 2
	case Pass:
		return 1
	default:
		return 0
	}
}

// Upstream returns the upstream called name, or nil.
func (r *Report) Upstream(name string) *Upstream {
	if r == nil {
		return nil
	}
	for i := range r.Upstreams {
		if r.Upstreams[i].Name == name {
			return &r.Upstreams[i]
		}
	}
	return nil
}

// PrimaryFinding is the finding that best explains the upstream's status:
// the worst severity first, then root causes before symptoms, then
// dependency.unhealthy last, then report order. It returns -1 when the
// upstream has no finding.
func (u *Upstream) PrimaryFinding() int {
	best := -1
	for i := range u.Findings {
		if best < 0 || findingBefore(&u.Findings[i], &u.Findings[best]) {
			best = i
		}
	}
	return best
}

// SortedFindings returns the indexes of u's findings, most important first:
// the order of PrimaryFinding (worst severity, then root causes, then
// dependency.unhealthy last), report order otherwise. Every output that
// lists findings (table -v, Markdown, GitHub annotations, the TUI's detail
// pane) lists them in this order.
func (u *Upstream) SortedFindings() []int {
	idx := make([]int, len(u.Findings))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		return findingBefore(&u.Findings[idx[a]], &u.Findings[idx[b]])
	})
	return idx
}

// findingBefore reports whether a is strictly more important than b.
func findingBefore(a, b *Finding) bool {
	if ra, rb := a.Severity.Rank(), b.Severity.Rank(); ra != rb {
		return ra > rb
	}
	if a.RootCause != b.RootCause {
		return a.RootCause
	}
	da, db := isDependency(a.Code), isDependency(b.Code)
	if da != db {
		return !da
	}
	return false
}

func isDependency(code string) bool { return strings.HasPrefix(code, "dependency.") }

// FailingLayer is the lowest layer whose status is fail, else warn, else "".
func (u *Upstream) FailingLayer() catalog.Layer {
	for _, want := range []LayerStatus{LFail, LWarn} {
		for _, l := range catalog.ProbeLayers() {
			if u.Layers.Of(l) == want {
				return l
			}
		}
	}
	return ""
}

// Of is the status of layer l ("" for a layer that is not a probe layer).
func (ls Layers) Of(l catalog.Layer) LayerStatus {
	switch l {
	case catalog.LayerDNS:
		return ls.DNS
	case catalog.LayerTCP:
		return ls.TCP
	case catalog.LayerTLS:
		return ls.TLS
	case catalog.LayerHTTP:
		return ls.HTTP
	case catalog.LayerLatency:
		return ls.Latency
	}
	return ""
}

// Set sets the status of layer l (a probe layer; others are ignored).
func (ls *Layers) Set(l catalog.Layer, s LayerStatus) {
	switch l {
	case catalog.LayerDNS:
		ls.DNS = s
	case catalog.LayerTCP:
		ls.TCP = s
	case catalog.LayerTLS:
		ls.TLS = s
	case catalog.LayerHTTP:
		ls.HTTP = s
	case catalog.LayerLatency:
		ls.Latency = s
	}
}
