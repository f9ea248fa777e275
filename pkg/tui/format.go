package tui

import (
	"math"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/updoc/updoc/internal/textfmt"
	"github.com/updoc/updoc/pkg/report"
)

// spread puts left and right on one line of w columns, right flush; the
// left part is truncated first when both do not fit.
func spread(left, right string, w int) string {
	lw, rw := textfmt.Width(left), textfmt.Width(right)
	if rw >= w {
		return textfmt.Truncate(right, w)
	}
	if lw+1+rw > w {
		left = textfmt.Truncate(left, max(w-rw-1, 0))
		lw = textfmt.Width(left)
	}
	return left + textfmt.Spaces(max(w-lw-rw, 1)) + right
}

// wrap word-wraps plain text to w columns with first and rest as line
// prefixes (rest is usually spaces as wide as first); the text keeps at least
// 8 columns. A word wider than the line (a URL, a code) stays whole on a line
// of its own, wider than w: the detail pane scrolls sideways to show it.
func wrap(text string, w int, first, rest string) []string {
	w = max(w, max(textfmt.Width(first), textfmt.Width(rest))+8)
	return textfmt.WrapHanging(text, w, first, rest, textfmt.KeepLongWords)
}

// sideways shows columns x to x+w of line: "→" in the last column when the
// line goes on past it, "←" in the first when x hides some of it.
func sideways(line string, x, w int, marker lipgloss.Style) string {
	lw := textfmt.Width(line)
	if x == 0 && lw <= w {
		return line
	}
	if lw <= x {
		return ""
	}
	start, end := x, x+w
	var pre, post string
	if x > 0 {
		pre = marker.Render("←")
		start++
	}
	if lw > end {
		post = marker.Render("→")
		end--
	}
	return pre + ansi.Cut(line, start, end) + post
}

// sparkTicks are the levels of a sparkline, lowest first.
var sparkTicks = []rune("▁▂▃▄▅▆▇█")

// sparkline draws the last w values, right aligned in w columns, scaled from
// 0 to the largest value; a NaN (no latency that round) is a blank.
func sparkline(vals []float64, w int) string {
	if w <= 0 {
		return ""
	}
	if len(vals) > w {
		vals = vals[len(vals)-w:]
	}
	hi := 0.0
	for _, v := range vals {
		if !math.IsNaN(v) && v > hi {
			hi = v
		}
	}
	var b strings.Builder
	b.Grow(w * 3)
	for range w - len(vals) {
		b.WriteByte(' ')
	}
	for _, v := range vals {
		switch {
		case math.IsNaN(v):
			b.WriteByte(' ')
		case hi <= 0:
			b.WriteRune(sparkTicks[0])
		default:
			i := int(math.Ceil(v/hi*float64(len(sparkTicks)))) - 1
			b.WriteRune(sparkTicks[min(max(i, 0), len(sparkTicks)-1)])
		}
	}
	return b.String()
}

// daysLeft formats a remaining number of days: "54 days left", "expired 3
// days ago", "expires today".
func daysLeft(d int) string {
	switch {
	case d > 0:
		return textfmt.Plural(d, "day") + " left"
	case d == 0:
		return "expires today"
	default:
		return "expired " + textfmt.Plural(-d, "day") + " ago"
	}
}

// fmtMS formats milliseconds like every other output (report.FormatMS), with
// the TUI's "—" for a value that is missing (NaN or negative).
func fmtMS(ms float64) string {
	if math.IsNaN(ms) || ms < 0 {
		return "—"
	}
	return report.FormatMS(ms)
}
