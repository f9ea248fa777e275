package suggest

import "testing"

func TestClosest(t *testing.T) {
	keys := []string{"url", "depends_on", "timeout", "samples", "max_body"}
	for _, tt := range []struct{ word, want string }{
		{"timout", "timeout"},
		{"dependson", "depends_on"},
		{"depends-on", "depends_on"},
		{"URL", "url"},
		{"urk", "url"},
		{"xyz", ""},
		{"upstream_list", ""},
		{"", ""},
	} {
		if got := Closest(tt.word, keys); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
	if got := Closest("x", nil); got != "" {
		t.Errorf("no candidates: %q", got)
	}
}

func TestDidYouMean(t *testing.T) {
	for _, tt := range []struct{ word, want string }{
		{"timout", ` (did you mean "timeout"?)`},
		{"timeout", ""}, // already right
		{"zzz", ""},
	} {
		if got := DidYouMean(tt.word, []string{"timeout"}); got != tt.want {
			t.Errorf("DidYouMean(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}
