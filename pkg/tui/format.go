package tui

import (
	"math"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/updoc/updoc/pkg/report"
)

const ellipsis = "…"

// width is the display width of s in terminal columns, ignoring ANSI.
func width(s string) int { return ansi.StringWidth(s) }

// trunc cuts s (which may hold ANSI sequences) to w columns, ending in "…"
// when something was cut.
func trunc(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if width(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, ellipsis)
}

// fit truncates or pads plain text s to exactly w columns, left aligned.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	s = trunc(s, w)
	if n := width(s); n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}

// fitR truncates or pads plain text s to exactly w columns, right aligned.
func fitR(s string, w int) string {
	if w <= 0 {
		return ""
	}
	s = trunc(s, w)
	if n := width(s); n < w {
		s = strings.Repeat(" ", w-n) + s
	}
	return s
}

// spread puts left and right on one line of w columns, right flush; the
// left part is truncated first when both do not fit.
func spread(left, right string, w int) string {
	lw, rw := width(left), width(right)
	if rw >= w {
		return trunc(right, w)
	}
	if lw+1+rw > w {
		left = trunc(left, max(w-rw-1, 0))
		lw = width(left)
	}
	return left + strings.Repeat(" ", max(w-lw-rw, 1)) + right
}

// wrap word-wraps plain text to w columns with first and rest as line
// prefixes (rest is usually spaces of the width of first). Words longer than
// the line are broken.
func wrap(text string, w int, first, rest string) []string {
	avail := w - max(width(first), width(rest))
	if avail < 8 {
		avail = 8
	}
	var out []string
	for i, para := range strings.Split(text, "\n") {
		body := ansi.Wrap(para, avail, "")
		for j, l := range strings.Split(body, "\n") {
			p := rest
			if i == 0 && j == 0 {
				p = first
			}
			out = append(out, strings.TrimRight(p+l, " "))
		}
	}
	return out
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

// plural is "1 upstream", "3 upstreams".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// daysLeft formats a remaining number of days: "54 days left", "expired 3
// days ago", "expires today".
func daysLeft(d int) string {
	switch {
	case d > 0:
		return plural(d, "day") + " left"
	case d == 0:
		return "expires today"
	default:
		return "expired " + plural(-d, "day") + " ago"
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
