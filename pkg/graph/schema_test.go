package graph

import (
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/updoc/updoc/internal/suggest"
)

// TestKeySets pins the key sets derived from the schema, in the order the
// messages list them.
func TestKeySets(t *testing.T) {
	tests := []struct {
		name string
		got  []string
		want string
	}{
		{"top level", names(topKeys, atTop), "version, defaults, policy, upstreams"},
		{"upstream", names(upstreamsKey.keys, inUpstream), "url, depends_on, method, headers, body, expect, targets, resolvers, timeout, samples, follow_redirects, max_body, tls, ip_family, proxy, tags, description"},
		{"defaults", names(defaultsKey.keys, inDefaults), "method, headers, body, expect, resolvers, timeout, samples, follow_redirects, max_body, tls, ip_family, proxy, tags"},
		{"expect", names(expectKey.keys, 0), "status, body_contains, body_regex, max_latency, cert_min_days"},
		{"tls", names(tlsKey.keys, 0), "server_name, ca_file, cert_file, key_file, insecure_skip_verify"},
		{"policy", names(policyKey.keys, 0), "severity"},
	}
	for _, tt := range tests {
		if got := strings.Join(tt.got, ", "); got != tt.want {
			t.Errorf("%s keys = %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

// TestEveryKeyIsDeclaredWhole: every key has a one-line description (the
// JSON Schema's), a leaf decodes and applies, a block has keys, and no
// mapping declares a name twice.
func TestEveryKeyIsDeclaredWhole(t *testing.T) {
	var walk func(path string, keys []*key)
	walk = func(path string, keys []*key) {
		seen := map[string]bool{}
		for _, k := range keys {
			p := path + k.name
			if seen[k.name] {
				t.Errorf("%s is declared twice", p)
			}
			seen[k.name] = true
			if k.doc == "" || strings.Contains(k.doc, "\n") || !strings.HasSuffix(k.doc, ".") {
				t.Errorf("%s: doc %q, want one sentence on one line", p, k.doc)
			}
			if (k.decode == nil) != (k.apply == nil) {
				t.Errorf("%s: decode and apply go together", p)
			}
			if k.decode != nil && k.keys != nil {
				t.Errorf("%s: a block has keys, not a value", p)
			}
			if k.check != nil && k.keys == nil {
				t.Errorf("%s: only a block has a check", p)
			}
			if k == defaultsKey || k == upstreamsKey {
				continue // their keys are upstreamKeys, walked once below
			}
			walk(p+".", k.keys)
		}
	}
	walk("", topKeys)
	walk("upstreams.NAME.", upstreamKeys)
	for _, k := range leaves(upstreamKeys) {
		if k.decode == nil {
			t.Errorf("upstream key %s has no decode", k.name)
		}
	}
	for _, k := range upstreamKeys {
		if k.in&inUpstream == 0 {
			t.Errorf("upstream key %s may not appear in an upstream", k.name)
		}
	}
}

// TestUpstreamKeySuggestions: "did you mean" picks among the upstream keys.
func TestUpstreamKeySuggestions(t *testing.T) {
	for _, tt := range []struct{ word, want string }{
		{"timout", "timeout"},
		{"dependson", "depends_on"},
		{"depends-on", "depends_on"},
		{"URL", "url"},
		{"xyz", ""},
		{"upstream_list", ""},
	} {
		if got := suggest.Closest(tt.word, names(upstreamKeys, inUpstream)); got != tt.want {
			t.Errorf("Closest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

// TestSchemeRules: a key an upstream's scheme never uses is an error on
// that upstream (at the key), never in defaults.
func TestSchemeRules(t *testing.T) {
	const (
		noHTTP   = "which sends no HTTP request"
		tlsOnTCP = `tls: "a" is a tcp:// upstream, which does not speak TLS; remove tls, or use a tls:// url`
		// On http:// only the trust keys are allowed (for redirects to https).
		tlsOnHTP = `tls.server_name: "a" is an http:// upstream, which does not speak TLS; remove tls.server_name, or use an https:// url`
	)
	requestKeys := map[string]string{
		"method":               "method: POST",
		"headers":              "headers: {X-A: b}",
		"body":                 "body: x",
		"follow_redirects":     "follow_redirects: false",
		"max_body":             "max_body: 10",
		"expect.status":        "expect: {status: 200}",
		"expect.body_contains": "expect: {body_contains: ok}",
		"expect.body_regex":    "expect: {body_regex: ok}",
		"proxy":                "proxy: env",
	}
	anyScheme := []string{"expect: {max_latency: 1s, cert_min_days: 0}", "timeout: 1s", "samples: 0", "resolvers: [system]",
		`targets: ["10.0.0.1:1"]`, "ip_family: ipv4", "tags: [x]", "description: d", "depends_on: [b]"}
	const tlsBlock = "tls: {server_name: a.internal, insecure_skip_verify: true}"
	urls := map[Scheme]string{SchemeHTTP: "http://a", SchemeHTTPS: "https://a", SchemeTCP: "tcp://a:1", SchemeTLS: "tls://a:1"}

	load := func(url, line string) error {
		_, err := loadString(t, "version: 1\nupstreams:\n  a:\n    url: "+url+"\n    "+line+"\n  b: {url: http://b}\n", env())
		return err
	}
	for scheme, url := range urls {
		for path, line := range requestKeys {
			err := load(url, line)
			if scheme.HasHTTP() {
				if err != nil {
					t.Errorf("%s on %s: %v", path, scheme, err)
				}
				continue
			}
			want := path + `: "a" is a ` + string(scheme) + ":// upstream, " + noHTTP + "; remove " + path + ", or give it an http:// or https:// url"
			if err == nil || !strings.HasSuffix(err.Error(), want) {
				t.Errorf("%s on %s: err = %v, want …%s", path, scheme, err, want)
			}
		}
		for _, line := range anyScheme {
			if err := load(url, line); err != nil {
				t.Errorf("%q on %s: %v", line, scheme, err)
			}
		}
		err := load(url, tlsBlock)
		switch scheme {
		case SchemeTCP, SchemeHTTP:
			// One error, at the block when none of its keys applies, else
			// at the key that does not.
			want := map[Scheme]string{SchemeTCP: "5:5: " + tlsOnTCP, SchemeHTTP: "5:11: " + tlsOnHTP}[scheme]
			if err == nil || err.Error() != "test.yaml:"+want {
				t.Errorf("tls on %s: err = %v, want %s", scheme, err, want)
			}
		default:
			if err != nil {
				t.Errorf("tls on %s: %v", scheme, err)
			}
		}
	}
	if err := load(urls[SchemeHTTP], "tls: {insecure_skip_verify: true}"); err != nil {
		t.Errorf("trust keys on http: %v", err)
	}
	// defaults: applies to the upstreams that can use it: never an error.
	src := "version: 1\ndefaults:\n  method: POST\n  expect: {status: 200}\n  " + tlsBlock + "\nupstreams:\n  db: {url: \"tcp://db:5432\"}\n  web: {url: http://web}\n"
	if _, err := loadString(t, src, env()); err != nil {
		t.Errorf("defaults: %v", err)
	}
}

// TestSchemeRulesOfABlock: a block is an error as a whole on an upstream
// whose scheme none of its keys uses, else each key on its own — what lets
// one key of tls: become usable on http:// by a change of its schemes.
func TestSchemeRulesOfABlock(t *testing.T) {
	strict := &key{name: "strict", schemes: tlsSchemes}
	loose := &key{name: "loose", schemes: []Scheme{SchemeHTTP, SchemeHTTPS, SchemeTLS}}
	block := &key{name: "blk", keys: []*key{strict, loose}}
	if got := block.usedBy(); !slices.Equal(got, []Scheme{SchemeHTTPS, SchemeTLS, SchemeHTTP}) {
		t.Errorf("usedBy = %v", got)
	}
	if got := expectKey.usedBy(); got != nil {
		t.Errorf("expect usedBy = %v, want nil: some of its keys are for every scheme", got)
	}
	at := func(line int) *yaml.Node { return &yaml.Node{Line: line, Column: 1} }
	tests := []struct {
		scheme Scheme
		set    settings
		want   []string
	}{
		{SchemeHTTP, settings{{key: block, at: at(1)}, {key: loose, at: at(2), ok: true}}, nil},
		{SchemeHTTP, settings{{key: block, at: at(1)}, {key: loose, at: at(2), ok: true}, {key: strict, at: at(3), ok: true}},
			[]string{`x.yaml:3:1: blk.strict: "a" is an http:// upstream, which does not speak TLS; remove blk.strict, or use an https:// url`}},
		{SchemeTCP, settings{{key: block, at: at(1)}, {key: loose, at: at(2), ok: true}, {key: strict, at: at(3), ok: true}},
			[]string{`x.yaml:1:1: blk: "a" is a tcp:// upstream, which does not speak TLS; remove blk, or use a tls:// url`}},
		{SchemeTLS, settings{{key: block, at: at(1)}, {key: strict, at: at(3), ok: true}}, nil},
	}
	for _, tt := range tests {
		d := &decoder{file: "x.yaml"}
		d.checkSchemes("a", tt.scheme, []*key{block}, "", tt.set)
		var got []string
		for _, e := range d.errs {
			got = append(got, e.Error())
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s %v:\n got %q\nwant %q", tt.scheme, tt.set, got, tt.want)
		}
	}
}

// settings hold one setting per key: put replaces, get and of find it by
// key, and a key never set reads as the zero (not ok) setting.
func TestSettingsOnePerKey(t *testing.T) {
	a, b := &key{name: "a"}, &key{name: "b"}
	var s settings
	s.put(setting{key: a, value: "first", ok: true})
	s.put(setting{key: b, value: 2, ok: true})
	s.put(setting{key: a, value: "second", ok: true})
	if len(s) != 2 {
		t.Fatalf("settings = %v, want one per key", s)
	}
	if got, ok := s.get(a); !ok || got.value != "second" {
		t.Errorf("get(a) = %v, %v; want the value put last", got, ok)
	}
	if v, ok := valueOf[int](s, b); !ok || v != 2 {
		t.Errorf("valueOf[int](b) = %v, %v", v, ok)
	}
	if got := s.of(&key{name: "a"}); got.ok || got.value != nil {
		t.Errorf("of(another key named a) = %v; keys are told apart by identity, not name", got)
	}
}
