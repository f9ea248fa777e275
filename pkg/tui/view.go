package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/spinner"

	"github.com/updoc/updoc/internal/textfmt"
	"github.com/updoc/updoc/pkg/report"
)

// spinFrames are the spinner frames shown while a round runs.
var spinFrames = spinner.MiniDot.Frames

// The main view is, top to bottom: header (2 lines), a blank line, the
// root-cause banner (2), the filter bar or a blank line, the column header,
// the rows, and the footer. chromeLines counts all but the rows.
const chromeLines = 8

// listRows is how many upstream rows fit on the main view.
func (m *model) listRows() int { return max(m.height-chromeLines, 0) }

// View renders the current pane: exactly m.height lines, none wider than
// m.width.
func (m *model) View() string {
	var lines []string
	if m.view == detailView {
		lines = m.detailView()
	} else {
		lines = m.mainView()
	}
	return m.frame(lines)
}

// frame fits lines to the screen: the last line (the footer) stays at the
// bottom, every line is cut to the width and loses trailing blanks.
func (m *model) frame(lines []string) string {
	h := m.height
	if len(lines) > h {
		lines = append(lines[:h-1:h-1], lines[len(lines)-1])
	}
	var b strings.Builder
	b.Grow(h * (m.width + 16))
	for i := range h {
		if i > 0 {
			b.WriteByte('\n')
		}
		var l string
		switch {
		case i == h-1 && len(lines) > 0:
			l = lines[len(lines)-1]
		case i < len(lines)-1:
			l = lines[i]
		}
		b.WriteString(strings.TrimRight(textfmt.Truncate(l, m.width), " "))
	}
	return b.String()
}

// header is the two top lines: title and round, then the status counts and
// the round's progress.
func (m *model) header(crumb string) []string {
	s := &m.st
	left := " " + s.title.Render("updoc")
	if m.opts.Title != "" {
		left += s.dim.Render(" · ") + s.bold.Render(m.opts.Title)
	}
	if crumb != "" {
		left += s.dim.Render(" › ") + s.bold.Render(crumb)
	}
	right := s.dim.Render("no round completed yet") + " "
	if m.rep != nil {
		right = fmt.Sprintf("round %d · %s · %s ", m.completed, m.lastAt.Format("15:04:05"), fmtMS(m.rep.DurationMS))
		right = s.dim.Render(right)
	}
	line1 := spread(left, right, m.width)

	counts := " "
	if m.rep != nil {
		n := report.Summarize(m.rep.Upstreams)
		counts += s.unhealthy.Render(fmt.Sprintf("✗ %d unhealthy", n.Unhealthy)) + "   "
		if n.Unknown > 0 {
			counts += s.unknown.Render(fmt.Sprintf("? %d unknown", n.Unknown)) + "   "
		}
		counts += s.degraded.Render(fmt.Sprintf("▲ %d degraded", n.Degraded)) + "   " +
			s.healthy.Render(fmt.Sprintf("✓ %d healthy", n.Healthy))
	}
	return []string{line1, spread(counts, m.progressText()+" ", m.width)}
}

// progressText is the spinner and "probing 12/40…" while a round runs, else
// when the next round comes.
func (m *model) progressText() string {
	s := &m.st
	if !m.running {
		if m.opts.Interval > 0 {
			return s.dim.Render("every " + m.opts.Interval.String())
		}
		return s.dim.Render("r re-probes")
	}
	frame := spinFrames[m.spin%len(spinFrames)]
	txt := "probing…"
	if m.prog.total > 0 {
		txt = fmt.Sprintf("probing %d/%d…", m.prog.done, m.prog.total)
		if m.width >= 100 {
			txt += " " + progressBar(m.prog.done, m.prog.total, 16)
		}
	}
	return s.accent.Render(frame) + " " + txt
}

// progressBar is a bar of w cells, done/total of it filled.
func progressBar(done, total, w int) string {
	f := 0
	if total > 0 {
		f = min(done*w/total, w)
	}
	return strings.Repeat("━", f) + strings.Repeat("─", w-f)
}

// banner is the root-cause banner: two lines.
func (m *model) banner() []string {
	s := &m.st
	switch {
	case m.rep == nil:
		return []string{" " + s.dim.Render("waiting for the first round to finish…"), ""}
	case len(m.rep.RootCauses) == 0:
		if m.rep.Status == report.Healthy || m.rep.Status == "" {
			return []string{" " + s.labelOK.Render(" ALL HEALTHY ") + " " +
				s.healthy.Render(fmt.Sprintf("%s, no root cause", textfmt.Plural(len(m.rep.Upstreams), "upstream"))), ""}
		}
		return []string{" " + s.labelWarn.Render(" NO ROOT CAUSE ") + " " +
			s.dim.Render("findings below are symptoms only"), ""}
	}
	rc := m.rep.RootCauses[0]
	label := s.label.Render(" ROOT CAUSE ")
	if rc.Severity == report.Warn {
		label = s.labelWarn.Render(" ROOT CAUSE ")
	}
	line1 := " " + label + " " + s.severity(rc.Severity).Bold(true).Render(rc.Code) +
		s.dim.Render(" on ") + s.bold.Render(rc.Upstream)
	if rc.Target != "" {
		line1 += s.dim.Render(" (" + rc.Target + ")")
	}
	// What it does to each dependent, by the dependent's status; frame
	// cuts the line to the width with "…".
	if impact := m.rep.ImpactPhrase(rc); impact != "" {
		line1 += s.dim.Render(" · ") + impact
	} else {
		line1 += s.dim.Render(" · no upstream depends on it")
	}
	line2 := "   " + rc.Message
	if n := len(m.rep.RootCauses) - 1; n > 0 {
		line2 = spread(line2, s.degraded.Render("+"+textfmt.Plural(n, "more root cause"))+" ", m.width)
	}
	return []string{line1, line2}
}

// filterBar is the line above the column header: the filter being typed,
// the filter applied, or nothing.
func (m *model) filterBar() string {
	s := &m.st
	total := 0
	if m.rep != nil {
		total = len(m.rep.Upstreams)
	}
	count := s.dim.Render(fmt.Sprintf("%d of %d", len(m.rows), total))
	switch {
	case m.filtering:
		return spread(" "+m.input.View(), count+"  "+m.help.ShortHelpView(typingHints)+" ", m.width)
	case m.filter != "":
		return spread(" "+s.accent.Render("filter: ")+s.bold.Render(m.filter),
			count+"  "+m.help.ShortHelpView(filterHints)+" ", m.width)
	}
	return ""
}

// cols are the widths of the flexible columns of the list.
type cols struct {
	wide              bool // status word next to its symbol
	name, code, spark int
}

const (
	layerW = 7
	p50W   = 7
)

func layoutCols(w int) cols {
	c := cols{wide: w >= 100}
	fixed := 25 // "▸ ↓ ✗ " + gaps + layer + p50
	if c.wide {
		fixed = 35
	}
	flex := max(w-fixed, 0)
	c.code = min(max(flex*42/100, 12), 27)
	c.spark = min(max(flex-c.code-20, 0), historyLen)
	if c.spark < 4 {
		c.spark = 0
	}
	c.name = max(flex-c.code-c.spark, 4)
	return c
}

func (m *model) colHeader(c cols) string {
	st := "  "
	if c.wide {
		st = textfmt.Fit("STATUS", 11) + " "
	}
	h := "    " + st + textfmt.Fit("NAME", c.name) + " " + textfmt.Fit("LAYER", layerW) + " " + textfmt.Fit("CODE", c.code) + " " + textfmt.FitRight("P50", p50W)
	if c.spark > 0 {
		h += "  " + "LATENCY"
	}
	return m.st.header.Render(h)
}

func (m *model) mainView() []string {
	lines := make([]string, 0, m.height)
	lines = append(lines, m.header("")...)
	lines = append(lines, "")
	lines = append(lines, m.banner()...)
	lines = append(lines, m.filterBar())
	n := m.listRows()
	if m.showHelp {
		lines = append(lines, m.helpPane(n+1)...)
	} else {
		c := layoutCols(m.width)
		lines = append(lines, m.colHeader(c))
		switch {
		case m.rep == nil:
			lines = append(lines, m.pendingRows(c, n)...)
		case len(m.rows) == 0:
			msg := "no upstream in the report"
			if m.filter != "" {
				msg = fmt.Sprintf("no upstream matches %q", m.filter)
			}
			lines = append(lines, "    "+m.st.dim.Render(msg))
		default:
			end := min(m.offset+n, len(m.rows))
			for i := m.offset; i < end; i++ {
				lines = append(lines, m.row(c, i))
			}
		}
	}
	for len(lines) < m.height-1 {
		lines = append(lines, "")
	}
	pos := ""
	if len(m.rows) > 0 {
		pos = m.st.dim.Render(fmt.Sprintf("%d/%d", m.cursor+1, len(m.rows))) + " "
	}
	return append(lines, spread(" "+m.help.ShortHelpView(mainHints), pos, m.width))
}

// row renders list row i (an index into m.rows).
func (m *model) row(c cols, i int) string {
	s := &m.st
	ix := m.rows[i]
	u := &m.rep.Upstreams[ix]
	d := &m.data[ix]
	selected := i == m.cursor

	var b strings.Builder
	b.Grow(c.name + c.code + c.spark*3 + 64)
	if selected {
		b.WriteString(s.accent.Render("▸ "))
	} else {
		b.WriteString("  ")
	}
	switch m.changes[u.Name] {
	case worse:
		b.WriteString(s.unhealthy.Render("↓"))
	case better:
		b.WriteString(s.healthy.Render("↑"))
	case added:
		b.WriteString(s.accent.Render("•"))
	default:
		b.WriteByte(' ')
	}
	b.WriteByte(' ')
	stStyle := s.status(u.Status)
	cell := s.plain
	if selected {
		stStyle = stStyle.Bold(true)
		cell = s.sel
	}
	if c.wide {
		b.WriteString(stStyle.Render(textfmt.Fit(statusSym(u.Status)+" "+string(u.Status), 11)))
	} else {
		b.WriteString(stStyle.Render(statusSym(u.Status)))
	}
	b.WriteByte(' ')
	b.WriteString(cell.Render(textfmt.Fit(u.Name, c.name)))
	b.WriteByte(' ')
	b.WriteString(cell.Render(textfmt.Fit(d.layer, layerW)))
	b.WriteByte(' ')
	b.WriteString(cell.Render(textfmt.Fit(d.code, c.code)))
	b.WriteByte(' ')
	b.WriteString(cell.Render(textfmt.FitRight(fmtMS(d.p50), p50W)))
	if c.spark > 0 {
		b.WriteString("  ")
		b.WriteString(s.bar.Render(sparkline(m.history[u.Name], c.spark)))
	}
	return b.String()
}

// pendingRows are the upstreams announced by the first round's events.
func (m *model) pendingRows(c cols, n int) []string {
	s := &m.st
	if len(m.pending) == 0 {
		return []string{"    " + s.dim.Render("waiting for probe events…")}
	}
	var out []string
	for _, p := range m.pending[:min(len(m.pending), n)] {
		// Events say which layer finished, not which one runs next (tls
		// or http after tcp, dns or not at all for an IP literal), so a
		// row waiting on a layer just says "probing", once: in the
		// status column when it is wide, else in the layer column.
		sym, word := spinFrames[m.spin%len(spinFrames)], "probing"
		if p.done {
			sym, word = "·", "probed"
		}
		st := s.accent.Render(sym)
		if c.wide {
			st = s.accent.Render(textfmt.Fit(sym+" "+word, 11))
		}
		line := "    " + st + " " + textfmt.Fit(p.name, c.name)
		if !c.wide && !p.done {
			line += " " + s.dim.Render("probing…")
		}
		out = append(out, line)
	}
	return out
}

// helpPane lists the keys (bubbles/help, from keys.FullHelp) and the legend
// in n lines.
func (m *model) helpPane(n int) []string {
	s := &m.st
	out := []string{"  " + s.header.Render("KEYS")}
	// bubbles/help pads every row to the widest one: trim the padding, so
	// that a narrow terminal cuts only the rows that do not fit.
	for _, l := range strings.Split(m.help.FullHelpView(keys.FullHelp()), "\n") {
		out = append(out, strings.TrimRight("    "+l, " "))
	}
	out = append(out, "", "  "+s.header.Render("LEGEND"))
	for _, l := range legendLines {
		out = append(out, "    "+s.accent.Render(textfmt.Fit(l[0], helpKeyWidth))+" "+l[1])
	}
	out = append(out, "", "  "+s.dim.Render("press ? or esc to close"))
	if len(out) > n {
		out = out[:max(n, 0)]
	}
	return out
}
