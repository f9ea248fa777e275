package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
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

// listRows is how many lines the list has on the main view: its rows and,
// when rows scroll off, the "↑ N more" and "↓ N more" markers.
func (m *model) listRows() int { return max(m.height-chromeLines, 0) }

// window is the part of the rows the list shows when it starts at row
// offset: rows start to end, and whether rows are hidden above (a "↑ N more"
// line takes the first line) or below (a "↓ N more" line takes the last).
// A list too short for markers (under 3 lines) shows rows only.
func (m *model) window(offset int) (start, end int, above, below bool) {
	n, total := m.listRows(), len(m.rows)
	if total <= n || n < 3 {
		return offset, min(offset+n, total), false, false
	}
	above = offset > 0
	avail := n
	if above {
		avail--
	}
	if total-offset > avail {
		below = true
		avail--
	}
	return offset, offset + avail, above, below
}

// pageRows is how far pgup and pgdn move: the rows a screen shows.
func (m *model) pageRows() int { return max(m.listRows()-2, 1) }

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
	g := m.groups[m.causeAt]
	text := " ROOT CAUSE "
	if len(m.groups) > 1 {
		text = fmt.Sprintf(" ROOT CAUSE %d/%d ", m.causeAt+1, len(m.groups))
	}
	label := s.label.Render(text)
	if g.Severity == report.Warn {
		label = s.labelWarn.Render(text)
	}
	// What it does to each dependent, by the dependent's status.
	impact := s.dim.Render(" · no upstream depends on it")
	if phrase := g.ImpactPhrase(m.rep); phrase != "" {
		impact = s.dim.Render(" · ") + phrase
	}
	// The member names give way first, so that the count ("… +498") is
	// never cut: the most names with which the whole line fits, else the
	// most with which the place fits (frame cuts the impact with "…").
	lead := " " + label + " " + s.severity(g.Severity).Bold(true).Render(g.Code) + s.dim.Render(" on ")
	line1 := ""
	for shown := min(maxMembersShown, len(g.Upstreams)); shown >= 0; shown-- {
		place := lead + groupPlace(s, g, shown)
		if textfmt.Width(place+impact) <= m.width {
			line1 = place + impact
			break
		}
		if line1 == "" && textfmt.Width(place) <= m.width {
			line1 = place + impact
		}
	}
	if line1 == "" {
		line1 = lead + groupPlace(s, g, 0) + impact
	}
	line2 := "   " + g.First.Message
	if n := len(m.groups) - 1; n > 0 {
		line2 = spread(line2, s.degraded.Render("+"+textfmt.Plural(n, "more root cause"))+
			s.dim.Render(" · ")+m.help.ShortHelpView([]key.Binding{hint("n", "next", keys.NextCause)})+" ", m.width)
	}
	return []string{line1, line2}
}

// maxMembersShown is how many member names of a root-cause group the banner
// shows at most.
const maxMembersShown = 2

// groupPlace names where a root-cause group's fault lies: "users
// (10.0.0.7:8080)" for one upstream; "127.0.0.1:18200 — 500 upstreams
// (svc000, svc001, … +498)" for many, with up to shown member names
// (none: "127.0.0.1:18200 — 500 upstreams").
func groupPlace(s *styles, g report.RootCauseGroup, shown int) string {
	if len(g.Upstreams) == 1 {
		place := s.bold.Render(g.First.Upstream)
		if g.First.Target != "" {
			place += s.dim.Render(" (" + g.First.Target + ")")
		}
		return place
	}
	place := ""
	if g.Where != "" {
		place = s.bold.Render(g.Where) + s.dim.Render(" — ")
	}
	place += textfmt.Plural(len(g.Upstreams), "upstream")
	if shown > 0 {
		place += s.dim.Render(" (" + report.NameList(g.Upstreams, shown) + ")")
	}
	return place
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

// cols are the widths of the flexible columns of the list, and which of
// the columns that give way to the code are shown.
type cols struct {
	wide              bool // status word next to its symbol
	layer, p50        bool // the LAYER and P50 columns are shown
	name, code, spark int
}

const (
	layerW = 7
	p50W   = 7
)

// Column needs below which the list gives up a column: the name keeps
// minName columns before the code is cut, the sparkline minSpark before the
// name is cut.
const (
	minName  = 12
	minSpark = 8
)

// fixed is the width of everything in a row but the name, the code and the
// sparkline: marker, change, status, the gaps, LAYER and P50 when shown.
func (c cols) fixed() int {
	f := 25 // "▸ ↓ ✗ " + gaps + layer + p50
	if c.wide {
		f = 35
	}
	if !c.layer {
		f -= layerW + 1
	}
	if !c.p50 {
		f -= p50W + 1
	}
	return f
}

// layoutCols shares w columns between the list's columns, for names up to
// nameW and codes up to codeW columns wide. The code comes first: when it
// does not fit next to a name of minName, LAYER goes (the code's first word
// names the layer too), then P50; the code is cut only when the name is
// already down to minName without them. The name then gets what it needs,
// the sparkline up to historyLen of the rest (at least minSpark, or none
// when the name would be cut below minName for it), and whatever is left
// widens the name.
func layoutCols(w, nameW, codeW int) cols {
	c := cols{wide: w >= 100, layer: true, p50: true}
	nameW, codeW = max(nameW, len("NAME")), max(codeW, len("CODE"))
	codeFits := func() bool { return w-c.fixed()-min(nameW, minName) >= codeW }
	if !codeFits() {
		c.layer = false
	}
	if !codeFits() {
		c.p50 = false
	}
	flex := max(w-c.fixed(), 0)
	c.code = max(min(codeW, flex-min(nameW, minName)), len("CODE"))
	rest := max(flex-c.code, 0)
	c.spark = min(historyLen, rest-min(nameW, rest))
	if c.spark < minSpark && rest-minSpark >= minName {
		c.spark = minSpark
	}
	if c.spark < 4 {
		c.spark = 0
	}
	c.name = max(rest-c.spark, len("NAME"))
	return c
}

// columnNeeds are the widths of the longest name and the longest code the
// list shows: of the report's upstreams, else of the pending rows.
func (m *model) columnNeeds() (nameW, codeW int) {
	if m.rep == nil {
		for _, p := range m.pending {
			nameW = max(nameW, textfmt.Width(p.name))
		}
		return nameW, 0
	}
	for i := range m.rep.Upstreams {
		nameW = max(nameW, textfmt.Width(m.rep.Upstreams[i].Name))
		codeW = max(codeW, textfmt.Width(m.data[i].code))
	}
	return nameW, codeW
}

func (m *model) colHeader(c cols) string {
	st := "  "
	if c.wide {
		st = textfmt.Fit("STATUS", 11) + " "
	}
	h := "    " + st + textfmt.Fit("NAME", c.name) + " "
	if c.layer {
		h += textfmt.Fit("LAYER", layerW) + " "
	}
	h += textfmt.Fit("CODE", c.code)
	if c.p50 {
		h += " " + textfmt.FitRight("P50", p50W)
	}
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
		nameW, codeW := m.nameW, m.codeW
		if m.rep == nil {
			nameW, codeW = m.columnNeeds()
		}
		c := layoutCols(m.width, nameW, codeW)
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
			start, end, above, below := m.window(m.offset)
			if above {
				lines = append(lines, "    "+m.st.dim.Render(fmt.Sprintf("↑ %d more", start)))
			}
			for i := start; i < end; i++ {
				lines = append(lines, m.row(c, i))
			}
			if below {
				lines = append(lines, "    "+m.st.dim.Render(fmt.Sprintf("↓ %d more", len(m.rows)-end)))
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
	if c.layer {
		b.WriteString(cell.Render(textfmt.Fit(d.layer, layerW)))
		b.WriteByte(' ')
	}
	b.WriteString(cell.Render(textfmt.Fit(d.code, c.code)))
	if c.p50 {
		b.WriteByte(' ')
		b.WriteString(cell.Render(textfmt.FitRight(fmtMS(d.p50), p50W)))
	}
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
