package graph

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// aliasError loads src and returns its one error, which must name an
// alias of anchor on a line that uses it.
func aliasError(t *testing.T, src, anchor string) *Error {
	t.Helper()
	_, err := loadString(t, src, nil)
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 1 {
		t.Fatalf("Load = %v; want one error", err)
	}
	e := errs[0]
	if want := "alias *" + anchor + " expands the graph past 1000000 nodes reached through aliases"; !strings.Contains(e.Msg, want) {
		t.Fatalf("error %q does not hold %q", e, want)
	}
	lines := strings.Split(src, "\n")
	if e.Line < 1 || e.Line > len(lines) || !strings.Contains(lines[e.Line-1], "*"+anchor) {
		t.Fatalf("error %q points at line %d, which uses no *%s", e, e.Line, anchor)
	}
	return e
}

// A small file that reuses a 5,000-header mapping 5,000 times would make
// decoding walk 50 million nodes: it stops once the aliases have reached
// the budget, naming the alias that went past it.
func TestAliasReuseIsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("version: 1\ndefaults:\n  headers: &h {")
	for i := range 5000 {
		fmt.Fprintf(&b, "X-H%d: v, ", i)
	}
	b.WriteString("}\nupstreams:\n")
	for i := range 5000 {
		fmt.Fprintf(&b, "  u%d: {url: http://u%d.example.com/, headers: *h}\n", i, i)
	}
	aliasError(t, b.String(), "h")
}

func TestBillionLaughsIsBounded(t *testing.T) {
	src := "version: 1\nlols:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
	for c := 'b'; c <= 'i'; c++ {
		p := string(c - 1)
		src += fmt.Sprintf("  %c: &%c [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n", c, c, p, p, p, p, p, p, p, p, p, p)
	}
	src += "upstreams:\n  api: {url: https://api.example.com/}\n"
	aliasError(t, src, "e") // f's list of *e is where the budget runs out
}

// A graph that shares a few values through anchors loads as before.
func TestFewAliasesLoad(t *testing.T) {
	g := mustLoad(t, `version: 1
upstreams:
  api:
    url: https://api.example.com/healthz
    headers: &h {X-Env: prod, User-Agent: updoc}
    tags: &t [core, public]
  web:
    url: https://web.example.com/healthz
    headers: *h
    tags: *t
  db:
    url: tcp://db.example.com:5432
    tags: *t
`, nil)
	if len(g.Upstreams) != 3 {
		t.Fatalf("%d upstreams, want 3", len(g.Upstreams))
	}
	for _, u := range g.Upstreams {
		if strings.Join(u.Tags, ",") != "core,public" {
			t.Errorf("%s: tags %v", u.Name, u.Tags)
		}
	}
	if len(g.Upstreams[1].Headers) != len(g.Upstreams[0].Headers) {
		t.Errorf("web's headers %v differ from api's %v", g.Upstreams[1].Headers, g.Upstreams[0].Headers)
	}
}
