package report

import (
	"strconv"
	"strings"

	"github.com/updoc/updoc/internal/textfmt"
)

// ROOT CAUSES, under the headline: one line per root-cause group (the same
// fault on many upstreams is one line), failures first. So that the
// headline and the root causes fill no more than the first screen of an
// 80×24 terminal, a list longer than rootCauseLines lines is packed into
// columns of "✗ code upstream"; the messages and steps are under NEXT STEPS.

// rootCauseLines is the most lines the one-line-per-group list may take
// before it is packed into columns.
const rootCauseLines = 18

// failFirst is the groups with failures before warnings, each in report
// order.
func failFirst(groups []RootCauseGroup) []RootCauseGroup {
	out := make([]RootCauseGroup, 0, len(groups))
	for _, fail := range []bool{true, false} {
		for _, g := range groups {
			if (g.Severity == Fail) == fail {
				out = append(out, g)
			}
		}
	}
	return out
}

func (p *printer) rootCauses(r *Report) {
	if len(r.RootCauses) == 0 {
		return
	}
	p.blank()
	p.rootCauseList(r)
}

// rootCauseList writes the "ROOT CAUSES (N)" heading and its list: one
// line per group, or packed into columns when that takes more than
// rootCauseLines lines. It writes nothing when r has no root cause.
func (p *printer) rootCauseList(r *Report) {
	groups := failFirst(r.RootCauseGroups())
	if len(groups) == 0 {
		return
	}
	p.line(p.style("ROOT CAUSES ("+strconv.Itoa(len(groups))+")", ansiBold))
	var lines []string
	for i, line := range r.GroupLines(groups) {
		lines = append(lines, textfmt.WrapHanging(line, p.width, "  "+p.badge(groups[i].Severity)+" ", "    ", textfmt.KeepCodeWords)...)
	}
	if len(lines) > rootCauseLines {
		lines = p.packedRootCauses(groups)
	}
	for _, l := range lines {
		p.line(l)
	}
}

// packedRootCauses lays "✗ code upstream" out in columns, down then
// across (as ls does), as many columns as the width takes.
func (p *printer) packedRootCauses(groups []RootCauseGroup) []string {
	entries := make([]string, len(groups))
	plain := make([]int, len(groups)) // widths without colour
	colW := 0
	for i, g := range groups {
		who := g.Upstreams[0]
		if len(g.Upstreams) > 1 {
			who = textfmt.Plural(len(g.Upstreams), "upstream")
		}
		entries[i] = p.badge(g.Severity) + " " + g.Code + " " + who
		plain[i] = textfmt.Width(entries[i])
		colW = max(colW, plain[i])
	}
	const gap = 2
	indent := 2
	cols := max(1, (p.width-indent+gap)/(colW+gap))
	if cols == 1 && (p.width+gap)/(colW+gap) > 1 {
		indent, cols = 0, (p.width+gap)/(colW+gap)
	}
	rows := (len(entries) + cols - 1) / cols
	lines := make([]string, rows)
	for i, e := range entries {
		row, col := i%rows, i/rows
		if col > 0 {
			e = textfmt.Spaces(gap) + e
		} else {
			e = textfmt.Spaces(indent) + e
		}
		if col < cols-1 && i+rows < len(entries) {
			e += textfmt.Spaces(colW - plain[i])
		}
		lines[row] += e
	}
	for i := range lines {
		lines[i] = strings.TrimRight(lines[i], " ")
	}
	return lines
}
