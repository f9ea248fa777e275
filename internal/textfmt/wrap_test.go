package textfmt

import (
	"slices"
	"strings"
	"testing"
)

func TestWrap(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   string
		w    int
		long LongWords
		want []string
	}{
		{"greedy", "one two three four five six", 10, BreakLongWords, []string{"one two", "three four", "five six"}},
		{"a line may be exactly w", "abcde fghij", 5, BreakLongWords, []string{"abcde", "fghij"}},
		{"empty", "", 8, BreakLongWords, []string{""}},
		{"only spaces", "   ", 8, BreakLongWords, []string{""}},
		{"newlines start lines", "a b\n\nc", 8, BreakLongWords, []string{"a b", "", "c"}},
		{"inner spaces kept, break spaces dropped", "k=v  k2=v2  k3=v3", 10, BreakLongWords, []string{"k=v  k2=v2", "k3=v3"}},
		{"leading spaces of a paragraph stay", "  indented text", 10, BreakLongWords, []string{"  indented", "text"}},
		{"trailing spaces go", "a b   ", 8, BreakLongWords, []string{"a b"}},
		{"long word broken", "see https://example.com/a/long/path now", 10, BreakLongWords,
			[]string{"see", "https://ex", "ample.com/", "a/long/pat", "h now"}},
		{"long word kept", "see https://example.com/x now", 10, KeepLongWords, []string{"see", "https://example.com/x", "now"}},
		{"code word kept", "on gateway.no_healthy_upstream now", 10, KeepCodeWords, []string{"on", "gateway.no_healthy_upstream", "now"}},
		{"CJK word broken by KeepCodeWords", "日本語テキスト ok", 5, KeepCodeWords, []string{"日本", "語テ", "キス", "ト ok"}},
		{"hyphens are not break points", "ss -ltnp 'sport = :8080'", 9, BreakLongWords, []string{"ss -ltnp", "'sport =", ":8080'"}},
		{"CJK by columns", "日本語 テキスト です", 8, BreakLongWords, []string{"日本語", "テキスト", "です"}},
		{"CJK word broken by columns", "日本語テキスト", 5, BreakLongWords, []string{"日本", "語テ", "キス", "ト"}},
		{"emoji by columns", "👍 ok 👍 ok 👍 ok", 8, BreakLongWords, []string{"👍 ok 👍", "ok 👍 ok"}},
		{"ANSI takes no room", "\x1b[1mbold\x1b[0m word", 9, BreakLongWords, []string{"\x1b[1mbold\x1b[0m word"}},
		{"w < 1 counts as 1", "ab c", 0, BreakLongWords, []string{"a", "b", "c"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := Wrap(tt.in, tt.w, tt.long)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("Wrap(%q, %d) = %q, want %q", tt.in, tt.w, got, tt.want)
			}
			if tt.long == BreakLongWords {
				for _, l := range got {
					if Width(l) > max(tt.w, 1) {
						t.Errorf("line %q is %d columns, over %d", l, Width(l), tt.w)
					}
				}
			}
		})
	}
}

func TestClip(t *testing.T) {
	lines := []string{"one two", "three four", "five"}
	for _, tt := range []struct {
		n, w int
		want []string
	}{
		{0, 10, lines},
		{3, 10, lines},
		{2, 11, []string{"one two", "three four…"}}, // the ellipsis fits after the line
		{2, 10, []string{"one two", "three fou…"}},  // it takes the last column
		{1, 10, []string{"one two…"}},
	} {
		got := Clip(lines, tt.n, tt.w)
		if !slices.Equal(got, tt.want) {
			t.Errorf("Clip(%d, %d) = %q, want %q", tt.n, tt.w, got, tt.want)
		}
	}
	if got := Clip([]string{"日本語", "x"}, 1, 6); !slices.Equal(got, []string{"日本…"}) {
		t.Errorf("Clip of wide text = %q", got)
	}
	if !slices.Equal(lines, []string{"one two", "three four", "five"}) {
		t.Errorf("Clip changed its input: %q", lines)
	}
}

func TestWrapHanging(t *testing.T) {
	got := WrapHanging("Renew the certificate and reload the server.", 24, "fix: 1. ", "        ", BreakLongWords)
	want := []string{"fix: 1. Renew the", "        certificate and", "        reload the", "        server."}
	if !slices.Equal(got, want) {
		t.Errorf("WrapHanging = %q, want %q", got, want)
	}
	// An empty line keeps no trailing blanks.
	if got := Hang([]string{"a", ""}, "> ", "  "); !slices.Equal(got, []string{"> a", ""}) {
		t.Errorf("Hang = %q", got)
	}
	// Styled prefixes take the room of their text only.
	got = WrapHanging("aaa bbb", 9, "\x1b[1mx:\x1b[0m ", "   ", BreakLongWords)
	if !slices.Equal(got, []string{"\x1b[1mx:\x1b[0m aaa", "   bbb"}) {
		t.Errorf("styled prefix: %q", got)
	}
	// CJK text hangs by columns too.
	for _, l := range WrapHanging(strings.Repeat("日本語 ", 10), 20, "  - ", "    ", BreakLongWords) {
		if Width(l) > 20 {
			t.Errorf("line %q is %d columns", l, Width(l))
		}
	}
}

func TestWrapCharacterWiderThanTheLine(t *testing.T) {
	if got := Wrap("日本 x", 1, BreakLongWords); !slices.Equal(got, []string{"日", "本", "x"}) {
		t.Errorf("Wrap at 1 column = %q", got)
	}
}
