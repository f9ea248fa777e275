package report

import (
	"strings"

	"github.com/updoc/updoc/internal/textfmt"
)

// The table's own layout (see the package doc for why it is not
// tablewriter's): how wide each column gets, and each cell shaped to its
// column — wrapped greedily with a line limit, cut, or broken after a
// code's first ".". The grid (table_grid.go) then only lays the cells out.

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
	// details columns hold a message then "→ " and the next step.
	details bool
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

// nextStepLines is how many lines a row's first remediation step may take:
// it is the line the reader copies a command from.
const nextStepLines = 4

// fitCell shapes each line of cell to width: flex cells are wrapped (and
// clipped to maxLines), fixed ones cut with "…", codes broken after their
// first ".". In a details cell, the paragraphs after the first are the next
// step, shown "→ " with a hanging indent: the message keeps up to 3 lines (4
// below 40 columns), the step up to nextStepLines, so that its command is
// usually whole.
func fitCell(cell string, c column, width int) string {
	var out []string
	msgLines := 3
	if width < 40 {
		msgLines = 4
	}
	for i, para := range strings.Split(cell, "\n") {
		switch {
		case c.details && i == 0:
			out = append(out, wrap(para, width, msgLines)...)
		case c.details:
			out = append(out, textfmt.Hang(wrap(strings.TrimPrefix(para, "→ "), width-2, nextStepLines), "→ ", "  ")...)
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

// wrap is the table's wrap: s folded into one paragraph, broken into lines
// of at most w columns (long words cut) and, with maxLines > 0, clipped to
// maxLines with "…".
func wrap(s string, w, maxLines int) []string {
	return textfmt.Clip(textfmt.Wrap(textfmt.OneLine(s), w, textfmt.BreakLongWords), maxLines, w)
}

// dotBreakWidth is the width of code once broken after its first ".".
func dotBreakWidth(code string) int {
	if k := strings.Index(code, "."); k >= 0 {
		return max(k+1, textfmt.Width(code[k+1:]))
	}
	return textfmt.Width(code)
}
