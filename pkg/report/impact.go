package report

import (
	"fmt"
	"strings"

	"github.com/updoc/updoc/internal/textfmt"
)

// Impact sorts the upstreams a root cause affects by the status they have
// in this report: taken down (unhealthy), degraded, or still healthy.
func (r *Report) Impact(rc RootCause) (down, degraded, healthy []string) {
	for _, name := range rc.Affects {
		st := Healthy
		if u := r.Upstream(name); u != nil {
			st = u.Status
		}
		switch st {
		case Unhealthy:
			down = append(down, name)
		case Degraded:
			degraded = append(degraded, name)
		default:
			healthy = append(healthy, name)
		}
	}
	return down, degraded, healthy
}

// ImpactPhrase says what a root cause does to the upstreams that depend on
// it, by the status they have: "takes down 1 upstream: orders; degrades 2:
// edge, users"; "" when nothing depends on it.
func (r *Report) ImpactPhrase(rc RootCause) string {
	down, degraded, healthy := r.Impact(rc)
	var parts []string
	if len(down) > 0 {
		parts = append(parts, "takes down "+textfmt.Plural(len(down), "upstream")+": "+strings.Join(down, ", "))
	}
	if len(degraded) > 0 {
		if len(parts) == 0 {
			parts = append(parts, "degrades "+textfmt.Plural(len(degraded), "upstream")+": "+strings.Join(degraded, ", "))
		} else {
			parts = append(parts, fmt.Sprintf("degrades %d: %s", len(degraded), strings.Join(degraded, ", ")))
		}
	}
	if len(healthy) > 0 {
		verb := "depends"
		if len(healthy) > 1 {
			verb = "depend"
		}
		parts = append(parts, fmt.Sprintf("%s %s on it but %s still healthy", strings.Join(healthy, ", "), verb, map[bool]string{true: "is", false: "are"}[len(healthy) == 1]))
	}
	return strings.Join(parts, "; ")
}
