package graph

import (
	"regexp"
	"testing"
)

// validHostname accepts exactly what the regexp it replaced matched: every
// string of up to 4 runes over letters, digits, '_', '-', '.', the two
// runes case folding lets in, a non-ASCII letter, a space and an invalid
// byte.
func TestValidHostnameAsTheRegexp(t *testing.T) {
	re := regexp.MustCompile(`^(?i)[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$`)
	alphabet := []string{"a", "Z", "0", "_", "-", ".", "\u212a", "\u017f", "é", " ", "\xff"}
	var all []string
	level := []string{""}
	for range 4 {
		var next []string
		for _, p := range level {
			for _, c := range alphabet {
				next = append(next, p+c)
			}
		}
		all = append(all, next...)
		level = next
	}
	all = append(all, "", "api.example.com", "api.example.com.", "a..b", "svc-1.ns_2.cluster.local")
	for _, s := range all {
		if got, want := validHostname(s), re.MatchString(s); got != want {
			t.Errorf("validHostname(%q) = %v, the regexp says %v", s, got, want)
		}
	}
}

// redactURL hides a password and leaves a url without one as it is.
func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://api.example.com/health":        "https://api.example.com/health",
		"https://user:secret@api.example.com/x": "https://user:[redacted]@api.example.com/x",
		"https://user@api.example.com/x":        "https://user@api.example.com/x",
		"http://proxy:3128/?q=a@b":              "http://proxy:3128/?q=a@b",
	} {
		if got := redactURL(in); got != want {
			t.Errorf("redactURL(%q) = %q, want %q", in, got, want)
		}
	}
}
