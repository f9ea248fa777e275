package textfmt

import "testing"

func TestPlural(t *testing.T) {
	for _, tt := range []struct {
		n    int
		want string
	}{{0, "0 upstreams"}, {1, "1 upstream"}, {2, "2 upstreams"}, {-1, "-1 upstreams"}} {
		if got := Plural(tt.n, "upstream"); got != tt.want {
			t.Errorf("Plural(%d) = %q, want %q", tt.n, got, tt.want)
		}
	}
	if got := PluralOf(2, "CAUSE", "CAUSES"); got != "2 CAUSES" {
		t.Errorf("PluralOf = %q", got)
	}
	if got := Noun(1, "entry", "entries"); got != "entry" {
		t.Errorf("Noun = %q", got)
	}
}
