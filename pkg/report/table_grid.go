package report

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/lipgloss/table"

	"github.com/updoc/updoc/internal/textfmt"
)

// gridCell pads every cell by one space on each side; it sets no colour,
// so lipgloss writes no escape sequence of its own (the status word comes
// already coloured, or not).
var gridCell = lipgloss.NewStyle().Padding(0, 1)

// grid lays the fitted cells out with lipgloss/table: each column as wide
// as its widest line (measured by charmbracelet/x/ansi, as textfmt does),
// cells padded and left aligned, "│" between columns, a rule under the
// header, no outer border. It wraps and cuts nothing itself: with no table
// width set, lipgloss sizes each column to its content, so its wrapping
// (on, so that a cell of several lines keeps them) never breaks a line.
// A row is wider than the table where the last column holds a word wider
// than itself (a URL), which stays whole; the rule under such a table is
// cut to the width.
func (p *printer) grid(headers []string, rows [][]string) {
	t := table.New().
		Border(lipgloss.NormalBorder()).
		BorderTop(false).BorderBottom(false).BorderLeft(false).BorderRight(false).
		BorderHeader(true).BorderColumn(true).BorderRow(false).
		StyleFunc(func(_, _ int) lipgloss.Style { return gridCell }).
		Headers(headers...).
		Rows(rows...)
	for _, l := range strings.Split(t.String(), "\n") {
		l = strings.TrimRight(l, " ")
		if textfmt.Width(l) > p.width && !endsInLongWord(l) {
			l = textfmt.Cut(l, p.width) // the rule: no "…"
		}
		p.line(l)
	}
}

// endsInLongWord: the line's last cell is one word (a URL the column could
// not hold), which must stay whole.
func endsInLongWord(l string) bool {
	last := l
	if i := strings.LastIndex(l, "│"); i >= 0 {
		last = l[i+len("│"):]
	}
	last = strings.TrimSpace(last)
	return last != "" && !strings.Contains(last, " ") && strings.Trim(last, "─┼") != ""
}
