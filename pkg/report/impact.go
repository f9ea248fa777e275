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

// Impact sorts the upstreams a root cause affects by their status. An
// upstream that is a root cause itself is left out: its own fault is its
// own line, and it is not "taken down" by another.
func (r *Report) Impact(rc RootCause) Impact {
	roots := make(map[string]bool, len(r.RootCauses))
	for _, c := range r.RootCauses {
		roots[c.Upstream] = true
	}
	var names []string
	for _, name := range rc.Affects {
		if !roots[name] {
			names = append(names, name)
		}
	}
	return r.impactOf(names)
}

// Impact sorts the upstreams the group affects by their status (its
// Affects already leave out every upstream that is a root cause itself).
func (g RootCauseGroup) Impact(r *Report) Impact { return r.impactOf(g.Affects) }

// impactOf sorts names by the status their upstream has in the report.
func (r *Report) impactOf(names []string) Impact {
	lookup := r.Upstream
	if r != nil && len(names) > 8 { // many names: index the upstreams once rather than scan them per name
		byName := r.ByName()
		lookup = func(name string) *Upstream { return byName[name] }
	}
	return impactBy(names, lookup)
}

// impactBy sorts names by the status lookup finds for each (healthy when
// it finds none); a renderer that asks for many groups' impact passes its
// index (lookup.byName), built once.
func impactBy(names []string, lookup func(string) *Upstream) Impact {
	var im Impact
	for _, name := range names {
		st := Healthy
		if u := lookup(name); u != nil {
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

// impactNames is how many names an impact phrase lists before "… +N".
const impactNames = 5

// ImpactPhrase says what a root cause does to the upstreams that depend on
// it, by the status they have: "takes down 1 upstream: orders; degrades 2:
// edge, users"; "" when nothing depends on it. Upstreams that are root
// causes themselves are not counted (see Impact).
func (r *Report) ImpactPhrase(rc RootCause) string {
	return r.Impact(rc).Phrase()
}

// ImpactPhrase is the impact phrase of a root-cause group (its Affects
// leave out every upstream that is a root cause itself).
func (g RootCauseGroup) ImpactPhrase(r *Report) string {
	return r.impactOf(g.Affects).Phrase()
}

// Phrase says the impact in words; long lists of names end "… +N".
func (im Impact) Phrase() string {
	down, degraded, healthy := im.Down, im.Degraded, im.Healthy
	list := func(names []string) string { return NameList(names, impactNames) }
	var parts []string
	if len(down) > 0 {
		parts = append(parts, "takes down "+textfmt.Plural(len(down), "upstream")+": "+list(down))
	}
	if len(degraded) > 0 {
		if len(parts) == 0 {
			parts = append(parts, "degrades "+textfmt.Plural(len(degraded), "upstream")+": "+list(degraded))
		} else {
			parts = append(parts, fmt.Sprintf("degrades %d: %s", len(degraded), list(degraded)))
		}
	}
	if len(im.Unknown) > 0 {
		parts = append(parts, "status unknown (probe cut short): "+list(im.Unknown))
	}
	if len(healthy) > 0 {
		verb := "depends"
		if len(healthy) > 1 {
			verb = "depend"
		}
		parts = append(parts, fmt.Sprintf("%s %s on it but %s still healthy", list(healthy), verb, map[bool]string{true: "is", false: "are"}[len(healthy) == 1]))
	}
	return strings.Join(parts, "; ")
}
