package report

import (
	"fmt"
	"strings"

	"github.com/updoc/updoc/internal/textfmt"
)

// upstreamRow is what the table says of one upstream: its primary finding
// (layer, code, "+N more", message, first remediation step) or, when it has
// none, its summary ("ok · HTTP 200 · p50 7.4ms"). Missing values are "-".
type upstreamRow struct {
	name, layer, code, more, msg, step string
	status                             Status
}

func newUpstreamRow(u *Upstream) upstreamRow {
	d := upstreamRow{name: u.Name, status: u.Status, layer: "-", code: "-", step: "-"}
	k := u.PrimaryFinding()
	if k < 0 {
		d.msg = upstreamSummary(u)
		if u.Status != Healthy && u.Status != "" {
			d.layer = string(u.FailingLayer())
		}
		return d
	}
	f := &u.Findings[k]
	d.layer = string(f.Layer)
	if d.layer == "" {
		d.layer = string(u.FailingLayer())
	}
	d.code = f.Code
	if n := len(u.Findings) - 1; n > 0 {
		d.more = fmt.Sprintf("+%d more", n)
	}
	d.msg = f.Message
	if len(f.Remediation) > 0 {
		d.step = f.Remediation[0]
	}
	return d
}

// codeCell is the code with "+N more" under it.
func (d upstreamRow) codeCell() string {
	if d.more == "" {
		return d.code
	}
	return d.code + "\n" + d.more
}

// Widths of the fixed columns: "unhealthy", "latency"; names get at most
// maxNameWidth before they are cut.
const (
	statusWidth  = 9
	layerWidth   = 7
	maxNameWidth = 24
	// wideTextWidth is the room the wide layout needs for its two text
	// columns together.
	wideTextWidth = 60
)

// upstreams writes one row per upstream, in the wide layout (UPSTREAM
// STATUS LAYER CODE MESSAGE NEXT STEP) when its two text columns get at
// least 30 columns each, else in the narrow one (UPSTREAM STATUS+layer CODE
// DETAILS, the details being the message then "→ " and the next step).
func (p *printer) upstreams(r *Report) error {
	if len(r.Upstreams) == 0 {
		p.blank()
		p.line("no upstreams probed")
		return nil
	}
	rows := make([]upstreamRow, len(r.Upstreams))
	nameW, codeW := textfmt.Width("UPSTREAM"), textfmt.Width("CODE")
	codeMin := codeW // codes may break after their first "."
	for i := range r.Upstreams {
		d := newUpstreamRow(&r.Upstreams[i])
		rows[i] = d
		nameW = max(nameW, textfmt.Width(d.name))
		codeW = max(codeW, textfmt.Width(d.code), textfmt.Width(d.more))
		codeMin = max(codeMin, textfmt.Width(d.more), dotBreakWidth(d.code))
	}
	nameW = min(nameW, maxNameWidth)
	wide := p.width-separatorsWidth(6)-nameW-statusWidth-layerWidth-codeW >= wideTextWidth

	cols, cells := narrowColumns(rows, codeMin)
	if wide {
		cols, cells = wideColumns(rows, codeMin)
	}
	widths := fitColumns(cols, cells, p.width)
	for i, row := range cells {
		for j, cell := range row {
			row[j] = fitCell(cell, cols[j], widths[j])
		}
		// Colour the status word (the first line of the STATUS cell).
		st := strings.SplitN(row[1], "\n", 2)
		st[0] = p.style(st[0], statusColor(rows[i].status))
		row[1] = strings.Join(st, "\n")
	}
	headers := make([]string, len(cols))
	for j, c := range cols {
		headers[j] = textfmt.Truncate(c.header, widths[j])
	}
	p.blank()
	return p.grid(headers, cells)
}

// wideColumns lays rows out as UPSTREAM STATUS LAYER CODE MESSAGE NEXT STEP.
func wideColumns(rows []upstreamRow, codeMin int) ([]column, [][]string) {
	cols := []column{
		{header: "UPSTREAM", min: 8}, {header: "STATUS", min: statusWidth}, {header: "LAYER", min: layerWidth},
		{header: "CODE", min: codeMin, dotBreak: true},
		{header: "MESSAGE", flex: true, min: 20, pref: 30, maxLines: 2},
		{header: "NEXT STEP", flex: true, min: 20, pref: 30, maxLines: nextStepLines},
	}
	cells := make([][]string, len(rows))
	for i, d := range rows {
		cells[i] = []string{d.name, statusWord(d.status), d.layer, d.codeCell(), d.msg, d.step}
	}
	return cols, cells
}

// narrowColumns lays rows out as UPSTREAM STATUS CODE DETAILS: the layer
// under the status, the next step under the message.
func narrowColumns(rows []upstreamRow, codeMin int) ([]column, [][]string) {
	cols := []column{
		{header: "UPSTREAM", min: 8}, {header: "STATUS", min: statusWidth}, {header: "CODE", min: codeMin, dotBreak: true},
		{header: "DETAILS", flex: true, min: 16, pref: 36, details: true},
	}
	cells := make([][]string, len(rows))
	for i, d := range rows {
		st := statusWord(d.status)
		if d.layer != "-" && d.layer != "" {
			st += "\n" + d.layer
		}
		details := d.msg
		if d.step != "-" && d.step != "" {
			details += "\n→ " + d.step
		}
		cells[i] = []string{d.name, st, d.codeCell(), details}
	}
	return cols, cells
}
