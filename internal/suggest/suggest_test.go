package suggest

import (
	"slices"
	"testing"
)

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

func TestNearest(t *testing.T) {
	codes := []string{"dns.nxdomain", "tls.cert_expired", "tls.cert_not_yet_valid", "tls.cert_expiring", "tls.untrusted", "http.timeout", "tcp.timeout"}
	for _, tt := range []struct {
		word string
		want []string
	}{
		{"tls.expired", []string{"tls.cert_expired", "tls.cert_expiring", "tls.untrusted"}},
		{"tls.cert_expird", []string{"tls.cert_expired", "tls.cert_expiring", "tls.cert_not_yet_valid"}},
		{"timeout", []string{"tcp.timeout", "http.timeout"}},
		{"zzz", []string{}},
	} {
		if got := Nearest(tt.word, codes, 3); !slices.Equal(got, tt.want) {
			t.Errorf("Nearest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}
