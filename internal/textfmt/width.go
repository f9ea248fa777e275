package textfmt

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Ellipsis ends text that was cut short. It is one column wide.
const Ellipsis = "…"

// Width is the number of terminal columns s takes: ANSI escape sequences take
// none, a wide character (CJK, most emoji) two, a combining mark or a
// zero-width joiner none (grapheme clusters). Width("日本") is 4.
func Width(s string) int { return ansi.StringWidth(s) }

// Truncate cuts s to at most w columns, ending it with Ellipsis when
// something was cut: Truncate("gateway.no_healthy_upstream", 10) is
// "gateway.n…". ANSI escape sequences are kept whole; a wide character that
// would straddle the limit goes. A space before the ellipsis stays ("auth
// depends …": the cut fell between words). w ≤ 0 gives "".
func Truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if Width(s) <= w {
		return s
	}
	return ansi.Truncate(s, w, Ellipsis)
}

// Fit cuts (see Truncate) or pads s with spaces to exactly w columns, left
// aligned. w ≤ 0 gives "".
func Fit(s string, w int) string {
	s = Truncate(s, w)
	return s + Spaces(w-Width(s))
}

// FitRight cuts (see Truncate) or pads s with spaces to exactly w columns,
// right aligned. w ≤ 0 gives "".
func FitRight(s string, w int) string {
	s = Truncate(s, w)
	return Spaces(w-Width(s)) + s
}

// Spaces is n spaces ("" for n ≤ 0).
func Spaces(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat(" ", n)
}

// OneLine folds every run of white space in s (newlines included) into one
// space and trims both ends: "a\n  b " becomes "a b".
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
