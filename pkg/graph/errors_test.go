package graph

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInvalidFiles loads every testdata/graphs/invalid-*.yaml and checks that
// the first error is exactly the one on the file's "# want: " first line.
func TestInvalidFiles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(graphsDir, "invalid-*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 15 {
		t.Fatalf("found %d invalid-*.yaml files, want at least 15", len(files))
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			first, _, _ := strings.Cut(string(data), "\n")
			want, ok := strings.CutPrefix(first, "# want: ")
			if !ok {
				t.Fatalf("first line %q does not start with \"# want: \"", first)
			}
			g, err := Load(path, data, env())
			if err == nil {
				t.Fatalf("Load succeeded (%d upstreams), want error %q", len(g.Upstreams), want)
			}
			var errs Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("error is %T, want a non-empty Errors", err)
			}
			if got := errs[0].Error(); got != path+":"+want {
				t.Errorf("first error\n got: %s\nwant: %s", got, path+":"+want)
			}
			var one *Error
			if !errors.As(err, &one) || one != errs[0] {
				t.Errorf("errors.As(*Error) did not find the first error")
			}
			if !strings.HasPrefix(err.Error(), errs[0].Error()) {
				t.Errorf("Error() does not start with the first error: %q", err.Error())
			}
			for i := 1; i < len(errs); i++ {
				a, b := errs[i-1], errs[i]
				if a.Line > b.Line || a.Line == b.Line && a.Column > b.Column {
					t.Errorf("errors not sorted by position: %v before %v", a, b)
				}
			}
		})
	}
}

func TestMultipleErrorsReported(t *testing.T) {
	path := filepath.Join(graphsDir, "invalid-multi-errors.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Load("multi.yaml", data, env())
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("want Errors, got %v", err)
	}
	want := []string{
		`multi.yaml:6:25: depends_on: unknown upstream "nope"`,
		`multi.yaml:7:14: samples: want`,
		`multi.yaml:9:10: url: missing scheme in "users.internal"`,
		`multi.yaml:10:16: ip_family: want any, ipv4 or ipv6, got "both"`,
	}
	if len(errs) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(errs), len(want), err)
	}
	for i, w := range want {
		if !strings.HasPrefix(errs[i].Error(), w) {
			t.Errorf("error %d = %q, want prefix %q", i, errs[i].Error(), w)
		}
	}
	if got := strings.Count(err.Error(), "\n"); got != len(want)-1 {
		t.Errorf("Error() has %d newlines, want %d", got, len(want)-1)
	}
}

func TestErrorPositionsAndMessages(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // the whole error, or a prefix ending in "…"
	}{
		{"unknown top key typo", "version: 1\nupstream:\n  a: {url: http://a}\n",
			`test.yaml:1:1: missing upstreams: add an upstreams mapping with at least one upstream, e.g. "upstreams: {api: {url: https://api.example.com/healthz}}"` + "\n" +
				`test.yaml:2:1: unknown key "upstream" at the top level (did you mean "upstreams"?); allowed keys: version, defaults, policy, upstreams`},
		{"upstream at top level", "version: 1\napi:\n  url: http://a\nupstreams:\n  a: {url: http://a}\n",
			`test.yaml:2:1: unknown key "api" at the top level; it looks like an upstream: move it under upstreams:…`},
		{"setting at top level", "version: 1\ntimeout: 5s\nupstreams:\n  a: {url: http://a}\n",
			`test.yaml:2:1: unknown key "timeout" at the top level; settings shared by every upstream go under defaults:…`},
		{"tls key misplaced", "version: 1\nupstreams:\n  a:\n    url: https://a\n    server_name: x\n",
			`test.yaml:5:5: unknown key "server_name" in upstream "a"; it belongs under tls:…`},
		{"server_name runs a command", "version: 1\nupstreams:\n  a:\n    url: https://a\n    tls: {server_name: \"x;touch /tmp/p\"}\n",
			`test.yaml:5:24: tls.server_name: "x;touch /tmp/p" is not a host name; want a host name such as api.example.com (letters, digits, '-', '_' and '.')`},
		{"server_name with a newline", "version: 1\nupstreams:\n  a:\n    url: https://a\n    tls:\n      server_name: \"a\\nb\"\n",
			`test.yaml:6:20: tls.server_name: "a\nb" is not a host name…`},
		{"server_name starts with a dash", "version: 1\nupstreams:\n  a:\n    url: https://a\n    tls: {server_name: -oProxy.example}\n",
			`test.yaml:5:24: tls.server_name: "-oProxy.example" is not a host name…`},
		{"server_name too long", "version: 1\nupstreams:\n  a:\n    url: https://a\n    tls: {server_name: " + strings.Repeat("a", 64) + ".example}\n",
			`test.yaml:5:24: tls.server_name: "` + strings.Repeat("a", 64) + `.example" is too long: the host name's label…`},
		{"expect unknown", "version: 1\nupstreams:\n  a:\n    url: https://a\n    expect: {stauts: [200]}\n",
			`test.yaml:5:14: unknown key "stauts" in expect (did you mean "status"?); allowed keys: status, body_contains, body_regex, max_latency, cert_min_days`},
		{"second document", "version: 1\nupstreams:\n  a: {url: http://a}\n---\nversion: 1\n",
			`test.yaml:4:1: a second YAML document starts here…`},
		{"upstreams list", "version: 1\nupstreams:\n  - url: http://a\n",
			`test.yaml:3:3: upstreams: want a mapping of upstream names to their settings, got a list`},
		{"upstream null", "version: 1\nupstreams:\n  a:\n",
			`test.yaml:3:3: upstream "a" has no url…`},
		{"upstreams null", "version: 1\nupstreams:\n",
			`test.yaml:2:1: upstreams: no upstreams defined…`},
		{"version string", "version: \"1\"\nupstreams:\n  a: {url: http://a}\n",
			`test.yaml:1:10: version: want 1 (the only graph file version this updoc reads), got "1"`},
		{"depends_on not a list", "version: 1\nupstreams:\n  a:\n    url: http://a\n    depends_on: b\n  b: {url: http://b}\n",
			`test.yaml:5:17: depends_on: want a list like [users, orders], got "b"`},
		{"depends_on twice", "version: 1\nupstreams:\n  a:\n    url: http://a\n    depends_on: [b, b]\n  b: {url: http://b}\n",
			`test.yaml:5:21: depends_on: "b" is listed twice`},
		{"two cycles", "version: 1\nupstreams:\n  x: {url: http://x, depends_on: [y]}\n  y: {url: http://y, depends_on: [x]}\n  p: {url: http://p, depends_on: [q]}\n  q: {url: http://q, depends_on: [p]}\n",
			"test.yaml:3:35: depends_on: dependency cycle x → y → x; remove one of these depends_on entries\n" +
				"test.yaml:5:35: depends_on: dependency cycle p → q → p; remove one of these depends_on entries"},
		{"cycle reached from outside", "version: 1\nupstreams:\n  e: {url: http://e, depends_on: [b]}\n  a: {url: http://a, depends_on: [b]}\n  b: {url: http://b, depends_on: [a]}\n",
			"test.yaml:4:35: depends_on: dependency cycle a → b → a; remove one of these depends_on entries"},
		{"duration zero", "version: 1\nupstreams:\n  a:\n    url: http://a\n    timeout: 0s\n",
			`test.yaml:5:14: timeout: must be greater than 0, got "0s"`},
		{"max_latency", "version: 1\nupstreams:\n  a:\n    url: http://a\n    expect: {max_latency: soon}\n",
			`test.yaml:5:27: expect.max_latency: want a duration like 5s, got "soon"`},
		{"status scalar ok, bad list item type", "version: 1\nupstreams:\n  a:\n    url: http://a\n    expect: {status: [[200]]}\n",
			`test.yaml:5:23: expect.status: want status codes 100-599 or ranges "1xx".."5xx", got a list`},
		{"header not a string", "version: 1\nupstreams:\n  a:\n    url: http://a\n    headers: {X-A: [1]}\n",
			`test.yaml:5:20: headers.X-A: want a string, got a list`},
		{"header bad name", "version: 1\nupstreams:\n  a:\n    url: http://a\n    headers: {\"X A\": b}\n",
			`test.yaml:5:15: headers: "X A" is not a valid header name…`},
		{"resolver ipv6 without brackets and port", "version: 1\nupstreams:\n  a:\n    url: http://a\n    resolvers: [\"udp://\"]\n",
			`test.yaml:5:17: resolvers[0]: "udp://" is not a valid resolver: no host…`},
		{"resolvers empty", "version: 1\nupstreams:\n  a:\n    url: http://a\n    resolvers: []\n",
			`test.yaml:5:16: resolvers: the list is empty…`},
		{"method", "version: 1\nupstreams:\n  a:\n    url: http://a\n    method: GET POST\n",
			`test.yaml:5:13: method: want an HTTP method like GET, HEAD or POST, got "GET POST"`},
		{"method empty", "version: 1\nupstreams:\n  a:\n    url: http://a\n    method:\n",
			`test.yaml:5:5: method: want a string, got an empty value`},
		{"key_file alone", "version: 1\ndefaults:\n  tls: {key_file: k.pem}\nupstreams:\n  a: {url: https://a}\n",
			`test.yaml:3:9: defaults.tls: key_file needs cert_file too…`},
		{"merge key", "version: 1\nbase: &b {timeout: 1s}\nupstreams:\n  a:\n    <<: *b\n    url: http://a\n",
			"test.yaml:2:1: unknown key \"base\" at the top level; allowed keys: version, defaults, policy, upstreams\n" +
				"test.yaml:5:5: YAML merge keys (<<) are not supported; put shared settings under defaults:"},
		{"tag", "version: 1\nupstreams:\n  a:\n    url: http://a\n    tags: [\"a b\"]\n",
			`test.yaml:5:12: tags[0]: invalid tag "a b": use ASCII letters, digits and . _ : / -`},
		{"tag not ASCII", "version: 1\nupstreams:\n  a:\n    url: http://a\n    tags: [prod, café]\n",
			`test.yaml:5:18: tags[1]: invalid tag "café" ("é" is not ASCII): use ASCII letters, digits and . _ : / -`},
		{"name not ASCII", "version: 1\nupstreams:\n  a: {url: http://a}\n  zahlungsdienst-ü: {url: http://b}\n",
			`test.yaml:4:3: invalid upstream name "zahlungsdienst-ü" ("ü" is not ASCII): use ASCII letters, digits, '.', '_' and '-'`},
		{"url empty", "version: 1\nupstreams:\n  a:\n    url: \"\"\n",
			`test.yaml:4:10: url: the url is empty; want e.g. https://api.example.com/healthz`},
		{"url bad host", "version: 1\nupstreams:\n  a:\n    url: http://a b/\n",
			`test.yaml:4:10: url: "http://a b/" is not a valid URL: invalid character " " in host name`},
		{"samples float", "version: 1\nupstreams:\n  a:\n    url: http://a\n    samples: 1.5\n",
			`test.yaml:5:14: samples: want a whole number of latency samples, 0 or more (0 turns the latency layer off), got 1.5`},
		{"severity null", "version: 1\npolicy:\n  severity:\n    api.deprecated:\nupstreams:\n  a: {url: http://a}\n",
			`test.yaml:4:5: policy.severity.api.deprecated: want a string, got an empty value`},
		{"yaml parser error line", "a: b\n- c\n",
			"test.yaml:2:1: invalid YAML: did not find expected key; check the indentation here and on the lines below"},
		{"yaml scanner error line", "version: 1\nupstreams:\n  a: \"http://a\n",
			"test.yaml:3:1: invalid YAML: found unexpected end of stream"},
		{"not a mapping scalar", "just text\n",
			"test.yaml:1:1: the graph file must be a mapping with the keys version, defaults, policy, upstreams; got \"just text\""},
		{"unknown key in tls", "version: 1\nupstreams:\n  a:\n    url: https://a\n    tls: {ca: x}\n",
			`test.yaml:5:11: unknown key "ca" in tls…`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadString(t, tt.src, env())
			if err == nil {
				t.Fatalf("no error, want %s", tt.want)
			}
			got := err.Error()
			if prefix, ok := strings.CutSuffix(tt.want, "…"); ok {
				if !strings.HasPrefix(got, prefix) {
					t.Errorf("error\n got: %s\nwant: %s…", got, prefix)
				}
			} else if got != tt.want {
				t.Errorf("error\n got: %s\nwant: %s", got, tt.want)
			}
		})
	}
}

// At most MaxPrinted errors are printed, then how many more there are;
// the value still holds every one.
func TestErrorsPrintAtMostFifty(t *testing.T) {
	var b strings.Builder
	b.WriteString("version: 1\nupstreams:\n")
	for i := range 60 {
		fmt.Fprintf(&b, "  u%d: {}\n", i)
	}
	_, err := loadString(t, b.String(), nil)
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 60 {
		t.Fatalf("Load = %v; want 60 errors", err)
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != MaxPrinted+1 {
		t.Fatalf("%d lines printed, want %d:\n%s", len(lines), MaxPrinted+1, err)
	}
	if !strings.HasPrefix(lines[MaxPrinted-1], "test.yaml:52:") {
		t.Errorf("last error printed is %q, want the 50th (line 52)", lines[MaxPrinted-1])
	}
	if want := "… and 10 more errors (fix these first, then run again)"; lines[MaxPrinted] != want {
		t.Errorf("last line %q, want %q", lines[MaxPrinted], want)
	}
	if one := errs[:MaxPrinted+1].Error(); !strings.HasSuffix(one, "… and 1 more error (fix these first, then run again)") {
		t.Errorf("51 errors end %q", one[strings.LastIndexByte(one, '\n')+1:])
	}
}
