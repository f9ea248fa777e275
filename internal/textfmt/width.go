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
// "gateway.n…". ANSI escape sequences are kept whole (the ellipsis goes
// before the ones that close a style); a wide character that would
// straddle the limit goes; spaces before the ellipsis go too ("auth
// depends…", not "auth depends …"). w ≤ 0 gives "".
func Truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if Width(s) <= w {
		return s
	}
	text, closing := splitTrailingSGR(ansi.Truncate(s, w-Width(Ellipsis), ""))
	return text + Ellipsis + closing
}

// Cut cuts s to at most w columns without marking the cut: for rules and
// borders, where an ellipsis would read as text. w ≤ 0 gives "".
func Cut(s string, w int) string {
	if w <= 0 {
		return ""
	}
	return ansi.Truncate(s, w, "")
}

// splitTrailingSGR splits s into its text, without trailing spaces, and
// the SGR sequences (style changes, such as the reset that closes a colour)
// that follow that text at its end.
func splitTrailingSGR(s string) (text, closing string) {
	for {
		if t := strings.TrimRight(s, " "); t != s {
			s = t
			continue
		}
		i := strings.LastIndex(s, "\x1b[")
		if i < 0 || !isSGR(s[i:]) {
			return s, closing
		}
		s, closing = s[:i], s[i:]+closing
	}
}

// isSGR reports whether seq is exactly one SGR sequence: ESC [ digits and
// semicolons, then m.
func isSGR(seq string) bool {
	if len(seq) < 3 || seq[len(seq)-1] != 'm' {
		return false
	}
	for _, c := range seq[2 : len(seq)-1] {
		if (c < '0' || c > '9') && c != ';' {
			return false
		}
	}
	return true
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
