package textfmt

import (
	"slices"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// LongWords is what Wrap does with a word wider than the line.
type LongWords int

const (
	// BreakLongWords cuts a word wider than the line into pieces as wide
	// as the line (a URL or a command in a narrow column, so that every
	// line fits); the last piece starts the next line.
	BreakLongWords LongWords = iota
	// KeepLongWords puts a word wider than the line alone on its line,
	// whole: that line is wider than asked (explain keeps an identifier
	// in one piece so that it can be copied).
	KeepLongWords
	// KeepCodeWords keeps whole a word wider than the line when it is made
	// of single-column characters only — a URL, a cause code, a path, a
	// command's argument, which must never be split — and breaks any other
	// (CJK text, which has no spaces to break at) as BreakLongWords does.
	KeepCodeWords
)

// Wrap breaks s into lines of at most w columns (w < 1 counts as 1), filling
// each line with as many words as fit (greedy), breaking only at spaces.
// Every newline in s starts a new line, and an empty paragraph is an empty
// line. Spaces between two words of a line are kept as they are, the spaces
// at a break go, and so do trailing ones; a paragraph's leading spaces stay.
// Words wider than w follow long. Wrap("one two three", 8, BreakLongWords)
// is ["one two", "three"]; Wrap("", 8, …) is [""].
//
// Widths are display widths (see Width): "日本語 テキスト" wraps at 8 columns
// as ["日本語", "テキスト"]. Tabs are not expanded: fold them first (OneLine).
func Wrap(s string, w int, long LongWords) []string {
	w = max(w, 1)
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		lines = wrapParagraph(lines, para, w, long)
	}
	return lines
}

// wrapParagraph appends the lines of one paragraph (no newline in p) to
// lines.
func wrapParagraph(lines []string, p string, w int, long LongWords) []string {
	var line strings.Builder
	lineW := 0
	started := false // a word of the paragraph was placed
	flush := func() {
		lines = append(lines, line.String())
		line.Reset()
		lineW = 0
	}
	for rest := p; ; {
		gap := len(rest) - len(strings.TrimLeft(rest, " "))
		if gap == len(rest) {
			break // only spaces left: trailing ones go
		}
		space, word := rest[:gap], rest[gap:]
		if end := strings.IndexByte(word, ' '); end >= 0 {
			word, rest = word[:end], word[end:]
		} else {
			rest = ""
		}
		if lineW == 0 && started {
			space = "" // a line after a break starts with its word
		}
		started = true
		ww := Width(word)
		if lineW+len(space)+ww <= w {
			line.WriteString(space + word)
			lineW += len(space) + ww
			continue
		}
		if lineW > 0 {
			flush()
		}
		if ww > w && (long == BreakLongWords || long == KeepCodeWords && !narrowOnly(word)) {
			// A character wider than w gets a line of its own: Hardwrap
			// leaves empty lines around it, which go.
			pieces := slices.DeleteFunc(strings.Split(ansi.Hardwrap(word, w, false), "\n"),
				func(p string) bool { return p == "" })
			for _, piece := range pieces[:len(pieces)-1] {
				line.WriteString(piece)
				flush()
			}
			word = pieces[len(pieces)-1]
			ww = Width(word)
		}
		line.WriteString(word)
		lineW += ww
	}
	if line.Len() > 0 || !started {
		flush()
	}
	return lines
}

// Clip keeps the first n lines of lines, each at most w columns wide (n ≤ 0
// keeps them all). When lines were dropped, the last line kept ends with
// Ellipsis: appended when it fits in w columns, else in place of the line's
// last column. It returns a new slice when it changes anything.
func Clip(lines []string, n, w int) []string {
	if n <= 0 || len(lines) <= n {
		return lines
	}
	out := append([]string(nil), lines[:n]...)
	last := out[n-1]
	if Width(last)+Width(Ellipsis) <= w {
		out[n-1] = last + Ellipsis
	} else {
		out[n-1] = ansi.Truncate(last, max(w-Width(Ellipsis), 0), "") + Ellipsis
	}
	return out
}

// Hang prefixes the first line with first and the others with rest — a
// hanging indent when rest is as wide as first ("fix: 1. " and eight
// spaces) — and drops the trailing spaces of every line.
func Hang(lines []string, first, rest string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		p := rest
		if i == 0 {
			p = first
		}
		out[i] = strings.TrimRight(p+l, " ")
	}
	return out
}

// WrapHanging wraps s to lines of at most w columns, prefixes included: the
// first line starts with first, the others with rest (see Wrap and Hang).
// The text gets w minus the wider prefix, at least 1 column.
func WrapHanging(s string, w int, first, rest string, long LongWords) []string {
	return Hang(Wrap(s, w-max(Width(first), Width(rest)), long), first, rest)
}

// narrowOnly: every character of s takes at most one column.
func narrowOnly(s string) bool {
	for _, r := range ansi.Strip(s) {
		if r >= 0x1100 && Width(string(r)) > 1 {
			return false
		}
	}
	return true
}
