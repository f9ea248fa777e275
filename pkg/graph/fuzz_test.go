package graph

import (
	"strings"
	"testing"
	"time"
)

// FuzzLoad: whatever bytes a graph file holds, Load returns — a graph or
// errors, never a panic — soon, and an error's text holds no control
// character other than newline (issue 12: the loader is pointed at
// hostile files; aliases are bounded).
func FuzzLoad(f *testing.F) {
	seeds := []string{
		"version: 1\nupstreams:\n  a: {url: \"http://127.0.0.1:8080/health\"}\n",
		"version: 1\ndefaults: &d {timeout: 2s, samples: 3}\nupstreams:\n  a: {url: \"http://127.0.0.1:1/\", depends_on: [b]}\n  b: {url: \"tcp://127.0.0.1:2\"}\n",
		"version: 1\nx: &h {A: a, B: b}\nupstreams:\n  a: {url: \"http://127.0.0.1:1/\", headers: *h}\n",
		// billion laughs
		"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n",
		"version: 1\nupstreams:\n  a: {url: \"http://\\e[2J/\", description: \"\\x9b\\u202e\"}\n",
		"version: 1\nupstreams:\n  a: *missing\n",
		"version: 1\nupstreams: {a: {url: \"http://127.0.0.1:1/\", depends_on: [a]}}\n",
		"\xff\xfe",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	env := func(k string) (string, bool) {
		if k == "TOKEN" {
			return "s3cret", true
		}
		return "", false
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		_, err := Load("fuzz.yaml", data, env)
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("Load took %s on %d bytes", d, len(data))
		}
		if err == nil {
			return
		}
		for _, r := range err.Error() {
			if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f {
				t.Fatalf("error holds %U raw: %q", r, err.Error())
			}
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Fatalf("error holds the secret: %q", err.Error())
		}
	})
}
