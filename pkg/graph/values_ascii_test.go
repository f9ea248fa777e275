package graph

import (
	"regexp"
	"strings"
	"testing"
)

// The byte-by-byte checks of names, tags, tokens and status classes accept
// exactly what the regexps they replaced accepted (kept here as the
// reference), on every string of up to two bytes over an alphabet of each
// kind of byte, and on longer ones.
func TestASCIIChecksMatchTheirRegexps(t *testing.T) {
	checks := []struct {
		name string
		re   *regexp.Regexp
		fn   func(string) bool
	}{
		{"validName", regexp.MustCompile(`^[A-Za-z0-9._-]+$`), validName},
		{"validTag", regexp.MustCompile(`^[A-Za-z0-9._:/-]+$`), validTag},
		{"isToken", regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"), isToken},
		{"statusClass", regexp.MustCompile(`^([1-5])[xX][xX]$`), func(s string) bool { _, ok := statusClass(s); return ok }},
	}
	var alphabet []string
	for c := 0; c < 128; c++ {
		alphabet = append(alphabet, string(rune(c)))
	}
	alphabet = append(alphabet, "é", "\xff", "決", "\u00a0")
	inputs := []string{"", "api", "api.v2_x-1", "a b", "api\n", "storage:critical/eu", "GET", "X-Custom-Header", "2xx", "5XX", "2xX", "6xx", "0xx", "2xxx", "22x", " 2xx"}
	for _, a := range alphabet {
		inputs = append(inputs, a, a+"x", "x"+a, "2"+a+"x", "3x"+a, strings.Repeat(a, 3))
		for _, b := range alphabet {
			inputs = append(inputs, a+b)
		}
	}
	for _, c := range checks {
		for _, in := range inputs {
			if got, want := c.fn(in), c.re.MatchString(in); got != want {
				t.Errorf("%s(%q) = %v, the regexp says %v", c.name, in, got, want)
			}
		}
	}
	for _, in := range []string{"1xx", "2xx", "3XX", "4xX", "5Xx"} {
		if d, ok := statusClass(in); !ok || d != int(in[0]-'0') {
			t.Errorf("statusClass(%q) = %d, %v", in, d, ok)
		}
	}
}
