package report

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"

	"github.com/updoc/updoc/internal/textfmt"
)

// TableOptions tune the human-readable table output.
type TableOptions struct {
	// Verbose adds, per upstream, the layer statuses, every finding with its
	// evidence and all remediation steps, and per-target facts.
	Verbose bool
	// Color uses ANSI colours for statuses; false writes no escape code.
	Color bool
	// Waterfall adds an httpstat-style phase waterfall per target (probe).
	Waterfall bool
	// Width is the terminal width in columns; 0 means 100.
	Width int
}

// DefaultWidth is the table width when TableOptions.Width is 0.
const DefaultWidth = 100

// minWidth is the narrowest layout the table attempts.
const minWidth = 40

func (o TableOptions) width() int {
	switch {
	case o.Width <= 0:
		return DefaultWidth
	case o.Width < minWidth:
		return minWidth
	default:
		return o.Width
	}
}

// WriteTable writes the report for people: a status line, the root causes,
// one row per upstream, and with o.Waterfall / o.Verbose the phase
// waterfalls and the per-upstream details. Every line fits o.Width columns
// (long cells are wrapped or cut with "…"). r is not modified.
func WriteTable(w io.Writer, r *Report, o TableOptions) error {
	r = Normalize(r)
	p := &printer{o: o, width: o.width()}
	p.header(r)
	p.rootCauses(r)
	if err := p.upstreams(r); err != nil {
		return err
	}
	if o.Waterfall {
		p.waterfalls(r)
	}
	if o.Verbose {
		p.details(r)
	}
	_, err := w.Write(p.buf.Bytes())
	return err
}

// printer accumulates the table output.
type printer struct {
	o     TableOptions
	width int
	buf   bytes.Buffer
}

func (p *printer) line(s string) {
	p.buf.WriteString(strings.TrimRight(s, " "))
	p.buf.WriteByte('\n')
}

func (p *printer) blank() {
	if p.buf.Len() > 0 {
		p.buf.WriteByte('\n')
	}
}

// ANSI styling, only when colour is on.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

func (p *printer) style(s, code string) string {
	if !p.o.Color || s == "" || code == "" {
		return s
	}
	return code + s + ansiReset
}

func statusColor(s Status) string {
	switch s {
	case Healthy:
		return ansiGreen
	case Degraded:
		return ansiYellow
	case Unhealthy:
		return ansiRed
	}
	return ""
}

func layerColor(s LayerStatus) string {
	switch s {
	case Pass:
		return ansiGreen
	case LWarn:
		return ansiYellow
	case LFail:
		return ansiRed
	case Skip:
		return ansiDim
	}
	return ""
}

func severityColor(s Severity) string {
	switch s {
	case Fail:
		return ansiRed
	case Warn:
		return ansiYellow
	}
	return ""
}

func (p *printer) status(s Status) string { return p.style(statusWord(s), statusColor(s)) }

// badge is the one-rune mark of a severity: ✗ fail, ! warn.
func (p *printer) badge(s Severity) string {
	b := "!"
	if s == Fail {
		b = "✗"
	}
	return p.style(b, severityColor(s))
}

// header is the first line: status, counts, duration.
func (p *printer) header(r *Report) {
	word := p.style(strings.ToUpper(statusWord(r.Status)), ansiBold+statusColor(r.Status))
	p.wrapped("updoc: "+word+" — ", countsLine(r.Summary)+" in "+FormatMS(r.DurationMS))
}

// rootCauses leads the output with each root cause and what it takes down.
func (p *printer) rootCauses(r *Report) {
	if len(r.RootCauses) == 0 {
		return
	}
	p.blank()
	p.line(p.style(fmt.Sprintf("ROOT %s (%d)", textfmt.Noun(len(r.RootCauses), "CAUSE", "CAUSES"), len(r.RootCauses)), ansiBold))
	for _, rc := range r.RootCauses {
		head := rc.Code + " on " + rc.Upstream
		if rc.Target != "" {
			head += " (" + rc.Target + ")"
		}
		for i, l := range wrap(head, p.width-4, 0) {
			if i == 0 {
				p.line("  " + p.badge(rc.Severity) + " " + l)
			} else {
				p.line("    " + l)
			}
		}
		for _, l := range wrap(rc.Message, p.width-4, 0) {
			p.line("    " + l)
		}
		if a := r.ImpactPhrase(rc); a != "" {
			for _, l := range wrap(a, p.width-4, 0) {
				p.line("    " + p.style(l, ansiBold))
			}
		}
	}
}

// column is one column of a fitted table.
type column struct {
	header string
	// flex columns are wrapped and shrink first; others are cut with "…".
	flex bool
	// min is the narrowest the column may get; pref, for flex columns, the
	// width they keep while fixed columns can still give some up.
	min, pref int
	maxLines  int // for flex columns; 0 = unlimited
	// dotBreak columns (codes) break after a "." rather than cut.
	dotBreak bool
}

// upstreams writes one row per upstream.
func (p *printer) upstreams(r *Report) error {
	if len(r.Upstreams) == 0 {
		p.blank()
		p.line("no upstreams probed")
		return nil
	}
	type rowData struct {
		name, layer, code, more, msg, step string
		status                             Status
	}
	rows := make([]rowData, len(r.Upstreams))
	nameW, codeW := len("UPSTREAM"), len("CODE")
	for i := range r.Upstreams {
		u := &r.Upstreams[i]
		d := rowData{name: u.Name, status: u.Status, layer: "-", code: "-", step: "-"}
		if k := u.PrimaryFinding(); k >= 0 {
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
		} else {
			d.msg = upstreamSummary(u)
			if u.Status != Healthy && u.Status != "" {
				d.layer = string(u.FailingLayer())
			}
		}
		rows[i] = d
		nameW = max(nameW, textfmt.Width(d.name))
		codeW = max(codeW, textfmt.Width(d.code), textfmt.Width(d.more))
	}
	nameW = min(nameW, 24)
	// Codes may break after their first "." (gateway. / no_healthy_upstream).
	codeMin := len("CODE")
	for _, d := range rows {
		codeMin = max(codeMin, textfmt.Width(d.more), dotBreakWidth(d.code))
	}
	const statusW, layerW = 9, 7 // "unhealthy", "latency"

	// Wide layout: UPSTREAM STATUS LAYER CODE MESSAGE NEXT STEP, when the
	// two text columns get at least 30 columns each; else the narrow one:
	// UPSTREAM STATUS(+layer) CODE DETAILS(message, → next step).
	wideText := p.width - (3*6 - 1) - nameW - statusW - layerW - codeW
	wide := wideText >= 60

	var cols []column
	var cells [][]string
	if wide {
		cols = []column{
			{header: "UPSTREAM", min: 8}, {header: "STATUS", min: statusW}, {header: "LAYER", min: layerW},
			{header: "CODE", min: codeMin, dotBreak: true},
			{header: "MESSAGE", flex: true, min: 20, pref: 30, maxLines: 2}, {header: "NEXT STEP", flex: true, min: 20, pref: 30, maxLines: nextStepLines},
		}
		for _, d := range rows {
			code := d.code
			if d.more != "" {
				code += "\n" + d.more
			}
			cells = append(cells, []string{d.name, statusWord(d.status), d.layer, code, d.msg, d.step})
		}
	} else {
		cols = []column{
			{header: "UPSTREAM", min: 8}, {header: "STATUS", min: statusW}, {header: "CODE", min: codeMin, dotBreak: true},
			{header: "DETAILS", flex: true, min: 16, pref: 36},
		}
		for _, d := range rows {
			st := statusWord(d.status)
			if d.layer != "-" && d.layer != "" {
				st += "\n" + d.layer
			}
			code := d.code
			if d.more != "" {
				code += "\n" + d.more
			}
			details := d.msg
			if d.step != "-" && d.step != "" {
				details += "\n→ " + d.step
			}
			cells = append(cells, []string{d.name, st, code, details})
		}
	}
	widths := fitColumns(cols, cells, p.width)
	fitted := make([][]string, len(cells))
	for i, row := range cells {
		fitted[i] = make([]string, len(row))
		for j, cell := range row {
			fitted[i][j] = fitCell(cell, cols[j], widths[j], !wide && j == 3)
		}
		// Colour the status word (first line of the STATUS cell).
		st := strings.SplitN(fitted[i][1], "\n", 2)
		st[0] = p.style(st[0], statusColor(rows[i].status))
		fitted[i][1] = strings.Join(st, "\n")
	}
	headers := make([]string, len(cols))
	for j, c := range cols {
		headers[j] = textfmt.Truncate(c.header, widths[j])
	}
	p.blank()
	return p.grid(headers, fitted)
}

// fitColumns gives each column a width so the table fits total columns:
// natural widths first, then flex columns shrink (widest first) down to
// their preferred width, then the others down to their minimum, then the
// flex columns down to their minimum.
func fitColumns(cols []column, cells [][]string, total int) []int {
	widths := make([]int, len(cols))
	for j, c := range cols {
		widths[j] = textfmt.Width(c.header)
	}
	for _, row := range cells {
		for j, cell := range row {
			for _, l := range strings.Split(cell, "\n") {
				lw := textfmt.Width(l)
				if cols[j].flex {
					lw = textfmt.Width(textfmt.OneLine(l))
				}
				widths[j] = max(widths[j], lw)
			}
		}
	}
	avail := total - (3*len(cols) - 1)
	sum := func() int {
		s := 0
		for _, w := range widths {
			s += w
		}
		return s
	}
	// Floors of the successive passes; the last two only matter on very
	// narrow terminals, where fixed cells and headers get cut with "…".
	floor := func(c column, pass int) int {
		switch pass {
		case 0:
			return max(c.min, c.pref, textfmt.Width(c.header))
		case 1, 2:
			return max(c.min, textfmt.Width(c.header))
		case 3:
			return 4
		default:
			return 8
		}
	}
	passes := []bool{true, false, true, false, true} // flex columns?
	for pass, flex := range passes {
		for sum() > avail {
			best := -1
			for j, c := range cols {
				if c.flex == flex && widths[j] > floor(c, pass) && (best < 0 || widths[j] > widths[best]) {
					best = j
				}
			}
			if best < 0 {
				break
			}
			widths[best]--
		}
	}
	return widths
}

// nextStepLines is how many lines a row's first remediation step may take:
// it is the line the reader copies a command from.
const nextStepLines = 4

// fitCell wraps (flex) or cuts (fixed) each line of cell to width.
// In a DETAILS cell, lines after the first paragraph starting with "→ " are
// the next step: the message keeps up to 3 lines, the step up to
// nextStepLines, so that its command is usually whole.
func fitCell(cell string, c column, width int, details bool) string {
	var out []string
	msgLines := 3
	if width < 40 {
		msgLines = 4
	}
	for i, para := range strings.Split(cell, "\n") {
		switch {
		case details && i == 0:
			out = append(out, wrap(para, width, msgLines)...)
		case details:
			ls := wrap(strings.TrimPrefix(para, "→ "), width-2, nextStepLines)
			for k, l := range ls {
				if k == 0 {
					out = append(out, "→ "+l)
				} else {
					out = append(out, "  "+l)
				}
			}
		case c.flex:
			out = append(out, wrap(para, width, c.maxLines)...)
		case c.dotBreak && textfmt.Width(para) > width && strings.Contains(para, "."):
			k := strings.Index(para, ".") + 1
			out = append(out, textfmt.Truncate(para[:k], width), textfmt.Truncate(para[k:], width))
		default:
			out = append(out, textfmt.Truncate(para, width))
		}
	}
	return strings.Join(out, "\n")
}

// grid renders pre-fitted cells with tablewriter: no outer border, "│"
// between columns, a rule under the header, no wrapping of its own.
func (p *printer) grid(headers []string, rows [][]string) error {
	var b bytes.Buffer
	rend := renderer.NewBlueprint(tw.Rendition{
		Borders: tw.BorderNone,
		Symbols: tw.NewSymbols(tw.StyleLight),
		Settings: tw.Settings{
			Separators: tw.Separators{BetweenRows: tw.Off, BetweenColumns: tw.On, ShowHeader: tw.On},
			Lines:      tw.Lines{ShowHeaderLine: tw.On},
		},
	})
	t := tablewriter.NewTable(&b,
		tablewriter.WithRenderer(rend),
		tablewriter.WithEastAsian(tw.Off),
		tablewriter.WithHeaderAutoFormat(tw.Off),
		tablewriter.WithHeaderAlignment(tw.AlignLeft),
		tablewriter.WithRowAlignment(tw.AlignLeft),
		tablewriter.WithHeaderAutoWrap(tw.WrapNone),
		tablewriter.WithRowAutoWrap(tw.WrapNone),
		tablewriter.WithTrimSpace(tw.Off),
	)
	t.Header(toAny(headers)...)
	for _, row := range rows {
		if err := t.Append(toAny(row)...); err != nil {
			return err
		}
	}
	if err := t.Render(); err != nil {
		return err
	}
	sc := bufio.NewScanner(&b)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		p.line(sc.Text())
	}
	return sc.Err()
}

// dotBreakWidth is the width of code once broken after its first ".".
func dotBreakWidth(code string) int {
	if k := strings.Index(code, "."); k >= 0 {
		return max(k+1, textfmt.Width(code[k+1:]))
	}
	return textfmt.Width(code)
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
