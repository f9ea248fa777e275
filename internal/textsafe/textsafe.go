// Package textsafe makes text that did not come from updoc's own code —
// what a server sent (bodies, headers, certificate fields, redirect
// hosts), DNS names, the graph file's own strings — safe to print on a
// terminal, in CI logs and in JSON (issue 12, failure 1; SPEC §2).
//
// A terminal obeys the bytes it is given: ESC starts a control sequence
// (ECMA-48: CSI "ESC [" clears the screen, OSC "ESC ]" retitles the
// window, sets a hyperlink (OSC 8) or the clipboard (OSC 52)), a C1
// control (U+0080–U+009F; U+009B is a one-character CSI) does the same,
// a carriage return rewrites the line, and the Unicode bidirectional
// controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) reorder
// the text around them (CVE-2021-42574, "Trojan Source"). String shows
// each of them visibly instead, as Go writes it in a string literal, so
// that what the server sent can still be read: "\x1b[2J", "\u202e".
// Invalid UTF-8 bytes show as "\xNN".
//
// The package is a leaf: it imports only the standard library.
package textsafe

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// String is s with every control character other than newline and tab,
// every bidi control and every invalid UTF-8 byte shown visibly
// (Escape). It returns s itself when nothing needs escaping.
func String(s string) string { return escape(s, false) }

// Line is String for a value that must stay on one line (a header value,
// a certificate field, a host name): newline and tab are shown visibly
// too ("\n", "\t").
func Line(s string) string { return escape(s, true) }

// Safe reports whether s holds nothing String would escape.
func Safe(s string) bool { return firstUnsafe(s, false) < 0 }

// Unsafe reports whether r is a character String shows visibly: a C0
// control other than newline and tab, DEL, a C1 control, or a bidi
// control.
func Unsafe(r rune) bool { return unsafeRune(r, false) }

func unsafeRune(r rune, oneLine bool) bool {
	switch {
	case r == '\n' || r == '\t':
		return oneLine
	case r < 0x20 || r == 0x7f: // C0 and DEL
		return true
	case r >= 0x80 && r <= 0x9f: // C1
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, // embeddings, overrides, isolates
		r == 0x200e || r == 0x200f || r == 0x061c: // LRM, RLM, ALM
		return true
	}
	return false
}

// firstUnsafe is the byte index of the first thing in s to escape, or -1.
func firstUnsafe(s string, oneLine bool) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if unsafeRune(rune(c), oneLine) {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || unsafeRune(r, oneLine) {
			return i
		}
		i += size
	}
	return -1
}

func escape(s string, oneLine bool) string {
	first := firstUnsafe(s, oneLine)
	if first < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:first])
	for i := first; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case !unsafeRune(r, oneLine):
			b.WriteString(s[i : i+size])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		i += size
	}
	return b.String()
}
