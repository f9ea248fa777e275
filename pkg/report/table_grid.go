package report

import (
	"strings"

	"github.com/updoc/updoc/internal/textfmt"
)

// grid lays the fitted cells out: each column as wide as its widest line
// (measured with internal/textfmt, as every output is), cells padded by a
// space on each side and left aligned, "│" between columns, a rule under
// the header, no outer border; a row is as tall as its tallest cell. It
// wraps and cuts nothing itself (the cells already fit; see the package
// doc). A row is wider than the table where the last column holds a word
// wider than itself (a URL), which stays whole; the rule under such a
// table is cut to the width.
func (p *printer) grid(headers []string, rows [][]string) {
	type cell struct {
		lines  []string
		widths []int
	}
	widths := make([]int, len(headers))
	split := func(row []string) []cell {
		cells := make([]cell, len(row))
		for j, s := range row {
			c := cell{lines: strings.Split(s, "\n")}
			c.widths = make([]int, len(c.lines))
			for k, l := range c.lines {
				c.widths[k] = textfmt.Width(l)
				widths[j] = max(widths[j], c.widths[k])
			}
			cells[j] = c
		}
		return cells
	}
	head := split(headers)
	body := make([][]cell, len(rows))
	for i, row := range rows {
		body[i] = split(row)
	}
	var b strings.Builder
	emit := func(cells []cell) {
		height := 0
		for _, c := range cells {
			height = max(height, len(c.lines))
		}
		for k := range height {
			b.Reset()
			for j, c := range cells {
				if j > 0 {
					b.WriteString("│")
				}
				b.WriteByte(' ')
				w := 0
				if k < len(c.lines) {
					b.WriteString(c.lines[k])
					w = c.widths[k]
				}
				b.WriteString(textfmt.Spaces(widths[j] - w + 1))
			}
			p.gridLine(strings.TrimRight(b.String(), " "))
		}
	}
	emit(head)
	b.Reset()
	for j, w := range widths {
		if j > 0 {
			b.WriteString("┼")
		}
		b.WriteString(strings.Repeat("─", w+2))
	}
	p.gridLine(b.String())
	for _, cells := range body {
		emit(cells)
	}
}

// gridLine prints one line of the grid, cut to the width unless it ends in
// a word that must stay whole.
func (p *printer) gridLine(l string) {
	if textfmt.Width(l) > p.width && !endsInLongWord(l) {
		l = textfmt.Cut(l, p.width) // the rule: no "…"
	}
	p.line(l)
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
