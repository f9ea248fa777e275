package report

import (
	"fmt"
	"strings"

	"github.com/updoc/updoc/internal/textfmt"
)

// Impact is what a root cause does to the upstreams that depend on it,
// by the status they have in the report.
type Impact struct {
	Down     []string // unhealthy: taken down
	Degraded []string
	Unknown  []string // their probe was cut short: nothing known
	Healthy  []string // depend on it but still healthy
}

// Impact sorts the upstreams a root cause affects by their status.
func (r *Report) Impact(rc RootCause) Impact {
	var im Impact
	for _, name := range rc.Affects {
		st := Healthy
		if u := r.Upstream(name); u != nil {
			st = u.Status
		}
		switch st {
		case Unhealthy:
			im.Down = append(im.Down, name)
		case Degraded:
			im.Degraded = append(im.Degraded, name)
		case Unknown:
			im.Unknown = append(im.Unknown, name)
		default:
			im.Healthy = append(im.Healthy, name)
		}
	}
	return im
}

// ImpactPhrase says what a root cause does to the upstreams that depend on
// it, by the status they have: "takes down 1 upstream: orders; degrades 2:
// edge, users"; "" when nothing depends on it.
func (r *Report) ImpactPhrase(rc RootCause) string {
	im := r.Impact(rc)
	down, degraded, healthy := im.Down, im.Degraded, im.Healthy
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
	if len(im.Unknown) > 0 {
		parts = append(parts, "status unknown (probe cut short): "+strings.Join(im.Unknown, ", "))
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
