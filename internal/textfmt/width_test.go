package textfmt

import "testing"

func TestWidthCountsColumns(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
	}{
		{"", 0},
		{"abc", 3},
		{"\x1b[31mred\x1b[0m", 3},
		{"日本語", 6},
		{"한국어", 6},
		{"👍", 2},
		{"⚠️", 2},              // with the emoji presentation selector
		{"👨\u200d👩\u200d👧", 2}, // one grapheme cluster
		{"e\u0301", 1},         // combining accent
		{"✗ ▲ ✓ … → █", 11},
	} {
		if got := Width(tt.in); got != tt.want {
			t.Errorf("Width(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestTruncateCutsToColumns(t *testing.T) {
	for _, tt := range []struct {
		in   string
		w    int
		want string
	}{
		{"gateway.no_healthy_upstream", 10, "gateway.n…"},
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"abc", 1, "…"},
		{"abc", 0, ""},
		{"abc", -3, ""},
		{"auth depends on it", 14, "auth depends…"}, // the cut fell between words: the space goes
		{"日本語テキスト", 7, "日本語…"},                      // 6 columns + the ellipsis
		{"日本語テキスト", 8, "日本語…"},                      // テ would straddle column 8
		{"ok 👍👍👍", 6, "ok 👍…"},
		{"\x1b[31mred alert\x1b[0m", 5, "\x1b[31mred…\x1b[0m"},    // escapes kept whole
		{"\x1b[1mbold\x1b[0m and more", 6, "\x1b[1mbold…\x1b[0m"}, // spaces after a closing style go too
	} {
		got := Truncate(tt.in, tt.w)
		if got != tt.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.w, got, tt.want)
		}
		if tt.w > 0 && Width(got) > tt.w {
			t.Errorf("Truncate(%q, %d) is %d columns", tt.in, tt.w, Width(got))
		}
	}
}

func TestCutMarksNothing(t *testing.T) {
	if got := Cut("────┼──────┼────", 8); got != "────┼───" {
		t.Errorf("Cut = %q", got)
	}
	if got := Cut("ok", 5); got != "ok" {
		t.Errorf("Cut of a short line = %q", got)
	}
	if got := Cut("ok", 0); got != "" {
		t.Errorf("Cut to 0 = %q", got)
	}
}

func TestFitPadsOrCuts(t *testing.T) {
	for _, tt := range []struct {
		in          string
		w           int
		left, right string
	}{
		{"ab", 4, "ab  ", "  ab"},
		{"abcdef", 4, "abc…", "abc…"},
		{"日本", 5, "日本 ", " 日本"},
		{"日本語", 5, "日本…", "日本…"},
		{"x", 0, "", ""},
	} {
		if got := Fit(tt.in, tt.w); got != tt.left {
			t.Errorf("Fit(%q, %d) = %q, want %q", tt.in, tt.w, got, tt.left)
		}
		if got := FitRight(tt.in, tt.w); got != tt.right {
			t.Errorf("FitRight(%q, %d) = %q, want %q", tt.in, tt.w, got, tt.right)
		}
	}
}

func TestOneLineFoldsWhiteSpace(t *testing.T) {
	if got := OneLine("  a\n\tb   c \r\n"); got != "a b c" {
		t.Errorf("OneLine = %q", got)
	}
}
