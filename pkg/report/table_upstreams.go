package report

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/updoc/updoc/internal/textfmt"
)

// upstreamRow is what the table says of one upstream: its primary finding
// (layer, code, "+N more", message) or, when it has none, its summary ("ok
// · HTTP 200 · p50 7.4ms"). Missing values are "-". The steps are under
// NEXT STEPS, not in the table.
type upstreamRow struct {
	name, layer, code, more, msg string
	status                       Status
	// short: the message is shown whole under NEXT STEPS, so the row keeps
	// only its start (msgLines lines).
	short bool
}

// msgLines is how many lines a row keeps of a message shown whole under
// NEXT STEPS.
const msgLines = 2

func newUpstreamRow(u *Upstream, l *lookup) upstreamRow {
	d := upstreamRow{name: u.Name, status: u.Status, layer: "-", code: "-"}
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
	d.short = inNextSteps(u, l)
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
	// minMessageWidth is the least room the grid leaves its MESSAGE column;
	// with less, the upstreams are listed one under the other instead.
	minMessageWidth = 24
	// wideMessageWidth is the room the wide grid (a LAYER column) needs.
	wideMessageWidth = 40
)

// upstreams writes one row per upstream, worst first (tableRows): in the wide grid (UPSTREAM STATUS
// LAYER CODE MESSAGE) when its message gets wideMessageWidth columns, in
// the narrow one (the layer under the status) when it gets
// minMessageWidth, else as a list (upstreamList). Codes are never cut or
// broken: their column is as wide as the longest.
func (p *printer) upstreams(r *Report) error {
	if len(r.Upstreams) == 0 {
		p.blank()
		p.line("no upstreams probed")
		return nil
	}
	rows, healthy := r.tableRows(p.o.Verbose)
	if len(rows) == 0 {
		p.healthyLine(healthy)
		return nil
	}
	nameW, codeW := textfmt.Width("UPSTREAM"), textfmt.Width("CODE")
	for _, d := range rows {
		nameW = max(nameW, textfmt.Width(d.name))
		codeW = max(codeW, textfmt.Width(d.code), textfmt.Width(d.more))
	}
	nameW = min(nameW, maxNameWidth)
	room := func(cols int) int { return p.width - separatorsWidth(cols) - nameW - statusWidth - codeW }
	var cols []column
	var cells [][]string
	switch {
	case room(5)-layerWidth >= wideMessageWidth:
		cols, cells = wideColumns(rows, codeW)
	case room(4) >= minMessageWidth:
		cols, cells = narrowColumns(rows, codeW)
	default:
		p.blank()
		p.upstreamList(rows)
		p.healthyLine(healthy)
		return nil
	}
	widths := fitColumns(cols, cells, p.width)
	for i, row := range cells {
		for j, cell := range row {
			row[j] = fitCell(cell, cols[j], widths[j], rows[i].short)
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
	p.grid(headers, cells)
	p.healthyLine(healthy)
	return nil
}

// tableRows are the table's rows, worst first (Report.WorstFirst): the
// members of a large root-cause group share one row ("svc000 +499"), and
// unless verbose the healthy upstreams are left out and returned, to be
// named on one line.
func (r *Report) tableRows(verbose bool) (rows []upstreamRow, healthy []string) {
	l := r.lookup()
	folded := r.foldedGroups(l)
	done := map[*RootCauseGroup]bool{}
	for _, u := range r.WorstFirst() {
		if g := folded[u.Name]; g != nil {
			if !done[g] {
				done[g] = true
				d := newUpstreamRow(u, l)
				d.name = u.Name + " +" + strconv.Itoa(len(g.Upstreams)-1)
				rows = append(rows, d)
			}
			continue
		}
		if u.Status == Healthy && !verbose {
			healthy = append(healthy, u.Name)
			continue
		}
		rows = append(rows, newUpstreamRow(u, l))
	}
	return rows, healthy
}

// healthyLine names the healthy upstreams left out of the table, as many
// as fit the width: "12 healthy: a, b, c, … +9".
func (p *printer) healthyLine(names []string) {
	if len(names) == 0 {
		return
	}
	head := textfmt.Plural(len(names), "upstream") + " healthy: "
	if len(names) == 1 {
		head = "1 upstream healthy: "
	}
	p.blank()
	p.line(p.style(fitNames(head, names, p.width), statusColor(Healthy)))
}

// fitNames is head and names joined with ", ", or, when that is wider than
// width, head and as many names as fit with ", … +N" for the rest (at
// least one). The width of such a line grows with the names it keeps, so
// the most that fit are found by bisection, among at most width+1 (each
// name after the first adds a comma): a line of 10,000 names is not
// joined 10,000 times.
func fitNames(head string, names []string, width int) string {
	if len(names) == 1 || len(names)-1 <= width {
		if line := head + strings.Join(names, ", "); len(names) == 1 || textfmt.Width(line) <= width {
			return line
		}
	}
	cut := func(keep int) string {
		return head + strings.Join(names[:keep], ", ") + ", … +" + strconv.Itoa(len(names)-keep)
	}
	hi := min(len(names)-1, width+1)
	keep := sort.Search(max(hi, 0), func(i int) bool { return textfmt.Width(cut(i+1)) > width })
	return cut(max(keep, 1))
}

// wideColumns lays rows out as UPSTREAM STATUS LAYER CODE MESSAGE.
func wideColumns(rows []upstreamRow, codeW int) ([]column, [][]string) {
	cols := []column{
		{header: "UPSTREAM", min: 8}, {header: "STATUS", min: statusWidth}, {header: "LAYER", min: layerWidth},
		{header: "CODE", min: codeW},
		{header: "MESSAGE", flex: true, min: minMessageWidth, pref: wideMessageWidth},
	}
	cells := make([][]string, len(rows))
	for i, d := range rows {
		cells[i] = []string{d.name, statusWord(d.status), d.layer, d.codeCell(), d.msg}
	}
	return cols, cells
}

// narrowColumns lays rows out as UPSTREAM STATUS CODE MESSAGE, the layer
// under the status.
func narrowColumns(rows []upstreamRow, codeW int) ([]column, [][]string) {
	cols := []column{
		{header: "UPSTREAM", min: 8}, {header: "STATUS", min: statusWidth}, {header: "CODE", min: codeW},
		{header: "MESSAGE", flex: true, min: minMessageWidth, pref: minMessageWidth},
	}
	cells := make([][]string, len(rows))
	for i, d := range rows {
		st := statusWord(d.status)
		if d.layer != "-" && d.layer != "" {
			st += "\n" + d.layer
		}
		cells[i] = []string{d.name, st, d.codeCell(), d.msg}
	}
	return cols, cells
}

// upstreamList writes the rows one under the other, for a width too narrow
// for the grid: "unhealthy  name  code (+N more)", the message under it.
func (p *printer) upstreamList(rows []upstreamRow) {
	p.line(p.style("UPSTREAMS", ansiBold))
	for _, d := range rows {
		head := d.name
		if d.code != "-" {
			head += "  " + d.code
		}
		if d.more != "" {
			head += " (" + d.more + ")"
		}
		status := p.style(textfmt.Fit(statusWord(d.status), statusWidth), statusColor(d.status))
		for _, l := range textfmt.WrapHanging(head, p.width, "  "+status+"  ", textfmt.Spaces(4+statusWidth), textfmt.KeepCodeWords) {
			p.line(l)
		}
		limit := 0
		if d.short {
			limit = msgLines
		}
		for _, l := range wrap(d.msg, p.width-4, limit) {
			p.line("    " + l)
		}
	}
}
