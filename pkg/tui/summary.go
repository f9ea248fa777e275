package tui

import (
	"fmt"
	"strings"

	"github.com/updoc/updoc/internal/textfmt"
	"github.com/updoc/updoc/pkg/report"
)

// summaryDetail is how much of a report the summary line says: all of it,
// then less while the line is wider than the terminal.
type summaryDetail int

const (
	withFirstCause summaryDetail = iota // counts, root causes and "first: …"
	withCounts                          // counts and root causes
	statusOnly                          // the status, the upstreams and the root causes
	statusWord                          // the status alone
)

// summaryLine is the one line Run leaves in the scrollback when the
// full-screen view ends: the status of the last complete round, its counts
// in the headline's order (report.CountsLine) and its root causes —
// "updoc: UNHEALTHY — 40 upstreams: 18 healthy, 3 degraded, 19 unhealthy;
// 9 root causes; first: tcp.refused on payments" — or, when a round was cut
// short, how far it got. It fits the terminal's width: the "first: …" part
// goes first, then the counts, then all but the status; what still does not
// fit ends in "…".
// interrupted: ctx ended the program (a signal), not a key.
func (m *model) summaryLine(interrupted bool) string {
	var line string
	for _, detail := range []summaryDetail{withFirstCause, withCounts, statusOnly, statusWord} {
		line = m.summaryAt(interrupted, detail)
		if m.width <= 0 || textfmt.Width(line) <= m.width {
			return line
		}
	}
	return textfmt.Truncate(line, m.width)
}

// summaryAt is the summary line with detail of the report in it.
func (m *model) summaryAt(interrupted bool, detail summaryDetail) string {
	verb := "quit"
	if interrupted {
		verb = "interrupted"
	}
	if !m.roundCut() {
		if m.rep == nil {
			return "updoc: " + verb + " before any round finished"
		}
		return "updoc: " + reportSummary(m.rep, m.groups, detail)
	}
	probed := ""
	if m.prog.total > 0 {
		probed = fmt.Sprintf(" (%d/%s probed)", m.prog.done, textfmt.Plural(m.prog.total, "upstream"))
	}
	if m.rep == nil {
		return fmt.Sprintf("updoc: %s during round 1%s; no round finished", verb, probed)
	}
	return fmt.Sprintf("updoc: %s during round %d%s; round %d: %s", verb, m.completed+1, probed, m.completed, reportSummary(m.rep, m.groups, detail))
}

// roundCut: the program ended while a round ran.
func (m *model) roundCut() bool { return m.running || m.cut }

// reportSummary is the status, the counts and the root causes of r
// (groups: its RootCauseGroups), with as much as detail says.
func reportSummary(r *report.Report, groups []report.RootCauseGroup, detail summaryDetail) string {
	status := r.Status
	if status == "" {
		status = report.Healthy
	}
	if detail == statusWord {
		return strings.ToUpper(string(status))
	}
	var b strings.Builder
	b.WriteString(strings.ToUpper(string(status)) + " — ")
	if detail == statusOnly {
		b.WriteString(textfmt.Plural(len(r.Upstreams), "upstream"))
	} else {
		b.WriteString(report.CountsLine(report.Summarize(r.Upstreams)))
	}
	if len(groups) == 0 {
		if status != report.Healthy {
			b.WriteString("; no root cause")
		}
		return b.String()
	}
	b.WriteString("; " + textfmt.Plural(len(groups), "root cause"))
	if detail == withFirstCause {
		g := groups[0]
		place := g.First.Upstream
		if len(g.Upstreams) > 1 {
			place = textfmt.Plural(len(g.Upstreams), "upstream")
			if g.Where != "" {
				place = g.Where + " (" + place + ")"
			}
		}
		fmt.Fprintf(&b, "; first: %s on %s", g.Code, place)
	}
	return b.String()
}
