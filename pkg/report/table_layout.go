package report

import (
	"strings"

	"github.com/updoc/updoc/internal/textfmt"
)

// The table's own layout (see the package doc for why it is not
// lipgloss's): how wide each column gets, and each cell shaped to its
// column — wrapped greedily with a line limit, or cut. The grid (table_grid.go) then only lays the cells out.

// column is one column of a fitted table.
type column struct {
	header string
	// flex columns are wrapped and shrink first; others are cut with "…".
	flex bool
	// min is the narrowest the column may get; pref, for flex columns, the
	// width they keep while fixed columns can still give some up.
	min, pref int
	maxLines  int // for flex columns; 0 = unlimited
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
	avail := total - separatorsWidth(len(cols))
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

// separatorsWidth is what the grid adds to the columns of a row of n cells:
// a space either side of each cell and a "│" between two.
func separatorsWidth(n int) int { return 3*n - 1 }

// fitCell shapes each line of cell to width: flex cells are wrapped, words
// never split (one wider than the column stands whole on its line), and
// with short kept to msgLines lines; fixed ones are cut with "…" — except
// codes, whose column is never narrower than the longest.
func fitCell(cell string, c column, width int, short bool) string {
	var out []string
	for _, para := range strings.Split(cell, "\n") {
		switch {
		case c.flex:
			limit := c.maxLines
			if short {
				limit = msgLines
			}
			out = append(out, wrap(para, width, limit)...)
		default:
			out = append(out, textfmt.Truncate(para, width))
		}
	}
	return strings.Join(out, "\n")
}

// wrap is the table's wrap: s folded into one paragraph, broken into lines
// of at most w columns — a word wider than w stands whole on its line —
// and, with maxLines > 0, clipped to maxLines with "…".
func wrap(s string, w, maxLines int) []string {
	return textfmt.Clip(textfmt.Wrap(textfmt.OneLine(s), w, textfmt.KeepCodeWords), maxLines, w)
}
