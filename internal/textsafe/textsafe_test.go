package textsafe

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestString(t *testing.T) {
	tests := []struct{ in, want, line string }{
		{in: "plain text, ünïcödé, 日本語", want: "plain text, ünïcödé, 日本語"},
		{in: "two\nlines\tand a tab", want: "two\nlines\tand a tab", line: `two\nlines\tand a tab`},
		{in: "\x1b]0;pwned\x07title", want: `\x1b]0;pwned\x07title`},
		{in: "\x1b[2J\x1b[H", want: `\x1b[2J\x1b[H`},
		{in: "\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", want: `\x1b]8;;http://evil\x1b\link\x1b]8;;\x1b\`},
		{in: "\x1b]52;c;cm0gLXJmIH4=\x07", want: `\x1b]52;c;cm0gLXJmIH4=\x07`},
		{in: "over\rwrite", want: `over\rwrite`},
		{in: "del\x7f", want: `del\x7f`},
		{in: "c1 \u009b2J csi", want: `c1 \u009b2J csi`},
		{in: "raw \x9b byte", want: `raw \x9b byte`},
		{in: "admin\u202e\u2066txt.exe", want: `admin\u202e\u2066txt.exe`},
		{in: "lrm\u200e rlm\u200f alm\u061c", want: `lrm\u200e rlm\u200f alm\u061c`},
		{in: "bad \xff\xfe utf8", want: `bad \xff\xfe utf8`},
		{in: "cut rune \xe6\x97", want: `cut rune \xe6\x97`},
	}
	for _, tc := range tests {
		if got := String(tc.in); got != tc.want {
			t.Errorf("String(%q) = %q, want %q", tc.in, got, tc.want)
		}
		line := tc.line
		if line == "" {
			line = tc.want
		}
		if got := Line(tc.in); got != line {
			t.Errorf("Line(%q) = %q, want %q", tc.in, got, line)
		}
		if Safe(tc.in) != (tc.in == tc.want) {
			t.Errorf("Safe(%q) = %v", tc.in, Safe(tc.in))
		}
	}
}

// String allocates nothing for text that needs no escaping: most of it.
func TestStringSafeTextIsNotCopied(t *testing.T) {
	s := strings.Repeat("healthy upstream ", 20)
	if n := testing.AllocsPerRun(100, func() { _ = String(s) }); n != 0 {
		t.Errorf("%v allocations for safe text", n)
	}
}

// FuzzString: whatever goes in, what comes out is valid UTF-8 with no
// control character other than newline and tab and no bidi control
// (Line: none at all); and text that was safe comes out unchanged.
func FuzzString(f *testing.F) {
	for _, s := range []string{"", "ok", "\x1b[2J", "\u009b", "\x9b", "\u202e", "\xff", "a\nb\tc\r", "\x1b]8;;x\x1b\\"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		// A slice, not a map: the fuzzer needs the same coverage for the
		// same input to minimize what it finds.
		for _, c := range []struct{ name, out string }{{"String", String(s)}, {"Line", Line(s)}} {
			name, out := c.name, c.out
			if !utf8.ValidString(out) {
				t.Fatalf("%s(%q) = %q: invalid UTF-8", name, s, out)
			}
			for _, r := range out {
				if Unsafe(r) || name == "Line" && (r == '\n' || r == '\t') {
					t.Fatalf("%s(%q) = %q holds %U", name, s, out, r)
				}
			}
		}
		if Safe(s) && String(s) != s {
			t.Fatalf("String changed safe text %q into %q", s, String(s))
		}
	})
}
