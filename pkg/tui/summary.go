package tui

import (
	"fmt"
	"strings"

	"github.com/updoc/updoc/internal/textfmt"
	"github.com/updoc/updoc/pkg/report"
)

// summaryLine is the one line Run leaves in the scrollback when the
// full-screen view ends: the status of the last complete round, its counts
// and root causes — "updoc: UNHEALTHY — 40 upstreams: 19 unhealthy, 3
// degraded, 18 healthy; 9 root causes; first: tcp.refused on payments" —
// or, when a round was cut short, how far it got. interrupted: ctx ended
// the program (a signal), not a key.
func (m *model) summaryLine(interrupted bool) string {
	verb := "quit"
	if interrupted {
		verb = "interrupted"
	}
	if !m.roundCut() {
		if m.rep == nil {
			return "updoc: " + verb + " before any round finished"
		}
		return "updoc: " + reportSummary(m.rep, m.groups)
	}
	probed := ""
	if m.prog.total > 0 {
		probed = fmt.Sprintf(" (%d/%s probed)", m.prog.done, textfmt.Plural(m.prog.total, "upstream"))
	}
	if m.rep == nil {
		return "updoc: " + verb + " before the first round finished" + probed + "; no status to report"
	}
	return fmt.Sprintf("updoc: %s during round %d%s; round %d: %s", verb, m.completed+1, probed, m.completed, reportSummary(m.rep, m.groups))
}

// roundCut: the program ended while a round ran.
func (m *model) roundCut() bool { return m.running || m.cut }

// reportSummary is the status, the counts and the root causes of r
// (groups: its RootCauseGroups).
func reportSummary(r *report.Report, groups []report.RootCauseGroup) string {
	n := report.Summarize(r.Upstreams)
	var counts []string
	for _, c := range []struct {
		n    int
		word string
	}{{n.Unhealthy, "unhealthy"}, {n.Unknown, "unknown"}, {n.Degraded, "degraded"}, {n.Healthy, "healthy"}} {
		if c.n > 0 {
			counts = append(counts, fmt.Sprintf("%d %s", c.n, c.word))
		}
	}
	status := r.Status
	if status == "" {
		status = report.Healthy
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s — %s", strings.ToUpper(string(status)), textfmt.Plural(len(r.Upstreams), "upstream"))
	if len(counts) > 0 {
		b.WriteString(": " + strings.Join(counts, ", "))
	}
	if len(groups) == 0 {
		if status != report.Healthy {
			b.WriteString("; no root cause")
		}
		return b.String()
	}
	g := groups[0]
	place := g.First.Upstream
	if len(g.Upstreams) > 1 {
		place = textfmt.Plural(len(g.Upstreams), "upstream")
		if g.Where != "" {
			place = g.Where + " (" + place + ")"
		}
	}
	fmt.Fprintf(&b, "; %s; first: %s on %s", textfmt.Plural(len(groups), "root cause"), g.Code, place)
	return b.String()
}
