package graph

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/internal/suggest"
)

// env is a fake environment for ${VAR} expansion.
func env(kv ...string) func(string) (string, bool) {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

const graphsDir = "../../testdata/graphs"

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

func loadString(t *testing.T, src string, lookup func(string) (string, bool)) (*Graph, error) {
	t.Helper()
	return Load("test.yaml", []byte(src), lookup)
}

func mustLoad(t *testing.T, src string, lookup func(string) (string, bool)) *Graph {
	t.Helper()
	g, err := loadString(t, src, lookup)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return g
}

func TestValidFull(t *testing.T) {
	path := filepath.Join(graphsDir, "valid-full.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	g, err := Load(path, data, env("USERS_TOKEN", "s3cret-token", "PROBE_ID", "p-1", "BASIC_PASS", "hunter2"))
	if err != nil {
		t.Fatal(err)
	}
	absDir, _ := filepath.Abs(graphsDir)
	if g.File != path || g.Dir != absDir || g.Version != 1 {
		t.Errorf("File, Dir, Version = %q, %q, %d", g.File, g.Dir, g.Version)
	}
	if want := []string{"edge", "users", "orders", "db", "secure", "basic"}; !slices.Equal(g.Names(), want) {
		t.Errorf("Names() = %v, want %v", g.Names(), want)
	}
	if want := map[string]PolicyAction{"api.deprecated": "fail", "latency.high_spread": "ignore", "load.replica_down": "warn"}; len(g.Policy.Severity) != 3 ||
		g.Policy.Severity["api.deprecated"] != want["api.deprecated"] || g.Policy.Severity["latency.high_spread"] != "ignore" {
		t.Errorf("Policy = %v", g.Policy.Severity)
	}

	edge := g.Lookup("edge")
	if edge.URL.Host != "edge.example.com:443" || edge.URL.Scheme != "https" || edge.RawURL != "https://edge.example.com/healthz" {
		t.Errorf("edge URL = %v / %q", edge.URL, edge.RawURL)
	}
	if !slices.Equal(edge.DependsOn, []string{"users", "orders"}) || edge.Description != "the public edge proxy" {
		t.Errorf("edge = %+v", edge)
	}
	if !slices.Equal(edge.Tags, []string{"edge", "prod"}) {
		t.Errorf("edge tags = %v (upstream tags replace the defaults)", edge.Tags)
	}
	// Everything else of edge comes from defaults.
	if edge.Method != "GET" || edge.Timeout != 5*time.Second || edge.Samples != 10 ||
		!edge.FollowRedirects || edge.MaxBody != 512*1024 || edge.IPFamily != "any" {
		t.Errorf("edge defaults not applied: %+v", edge)
	}
	if got := resolverStrings(edge.Resolvers); !slices.Equal(got, []string{"system", "1.1.1.1:53"}) {
		t.Errorf("edge resolvers = %v", got)
	}
	if want := []StatusRange{{200, 200}, {300, 399}}; !slices.Equal(edge.Expect.Status, want) {
		t.Errorf("edge expect.status = %v, want %v", edge.Expect.Status, want)
	}
	if edge.Expect.BodyContains != "ok" || edge.Expect.BodyRegex.String() != "ok|UP" || edge.Expect.MaxLatency != 500*time.Millisecond || edge.Expect.CertMinDays != 21 {
		t.Errorf("edge expect = %+v", edge.Expect)
	}
	if edge.TLS.CAFile != filepath.Join(absDir, "certs/ca.pem") || edge.TLS.InsecureSkipVerify {
		t.Errorf("edge tls = %+v", edge.TLS)
	}
	if want := []Header{{"User-Agent", "updoc", false}, {"Accept", "application/json", false}}; !slices.Equal(edge.Headers, want) {
		t.Errorf("edge headers = %v, want %v", edge.Headers, want)
	}

	users := g.Lookup("users")
	if users.URL.Host != "users.internal:8080" || users.Method != "POST" || users.Body != `{"probe": "p-1"}` {
		t.Errorf("users = %v %q %q", users.URL, users.Method, users.Body)
	}
	wantH := []Header{
		{"User-Agent", "updoc", false},
		{"accept", "text/plain", false},
		{"Authorization", "Bearer s3cret-token", true},
		{"X-Literal", "cost $5", false},
	}
	if !slices.Equal(users.Headers, wantH) {
		t.Errorf("users headers = %v, want %v", users.Headers, wantH)
	}
	if want := []StatusRange{{200, 200}, {204, 204}}; !slices.Equal(users.Expect.Status, want) {
		t.Errorf("users status = %v", users.Expect.Status)
	}
	if users.Expect.BodyContains != `"status":"UP"` || users.Expect.BodyRegex.String() != `"status":\s*"UP"` ||
		users.Expect.MaxLatency != 300*time.Millisecond || users.Expect.CertMinDays != 14 {
		t.Errorf("users expect = %+v", users.Expect)
	}
	if got := resolverStrings(users.Resolvers); !slices.Equal(got, []string{"10.0.0.2:53", "tcp://[2001:db8::53]:5353", "dns.internal:53"}) {
		t.Errorf("users resolvers = %v", got)
	}
	if users.Timeout != 2*time.Second || users.Samples != 0 || users.FollowRedirects || users.MaxBody != 4096 || users.IPFamily != "ipv4" {
		t.Errorf("users settings = %+v", users)
	}
	if users.Pos != (Position{Line: 36, Column: 3}) {
		t.Errorf("users.Pos = %+v", users.Pos)
	}

	orders := g.Lookup("orders")
	if orders.URL.Host != "orders.internal:80" || !slices.Equal(orders.Targets, []string{"10.0.0.11:80", "10.0.0.12:80", "[2001:db8::12]:80"}) {
		t.Errorf("orders = %v %v", orders.URL, orders.Targets)
	}
	db := g.Lookup("db")
	if db.URL.Scheme != "tcp" || db.URL.Host != "db.internal:5432" || db.IPFamily != "ipv6" || !slices.Equal(db.Tags, []string{"storage"}) {
		t.Errorf("db = %+v", db)
	}
	secure := g.Lookup("secure")
	wantTLS := TLSConfig{
		ServerName:         "mtls.internal",
		CAFile:             filepath.Join(absDir, "certs/ca.pem"),
		CertFile:           filepath.Join(absDir, "certs/client.pem"),
		KeyFile:            filepath.Join(absDir, "certs/client.key"),
		InsecureSkipVerify: true,
	}
	if secure.TLS != wantTLS {
		t.Errorf("secure tls = %+v, want %+v", secure.TLS, wantTLS)
	}
	basic := g.Lookup("basic")
	if basic.URL.Host != "api.example.com:8443" || basic.URL.User.Username() != "probe" || basic.URL.RawQuery != "x=1" {
		t.Errorf("basic URL = %v", basic.URL)
	}
	// p-1 is what ${PROBE_ID} expanded to in the body of users.
	if want := []string{"Bearer s3cret-token", "s3cret-token", "hunter2", "p-1"}; !slices.Equal(g.Secrets(), want) {
		t.Errorf("Secrets() = %q, want %q", g.Secrets(), want)
	}
}

func resolverStrings(rs []Resolver) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.String())
	}
	return out
}

func TestValidMinimalBuiltinDefaults(t *testing.T) {
	path := filepath.Join(graphsDir, "valid-minimal.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	g, err := Load(path, data, env())
	if err != nil {
		t.Fatal(err)
	}
	u := g.Lookup("api")
	if u == nil {
		t.Fatal("no upstream api")
	}
	if u.Method != "GET" || !u.FollowRedirects || u.MaxBody != 1<<20 || u.Expect.CertMinDays != 14 || u.IPFamily != "any" {
		t.Errorf("built-in defaults not applied: %+v", u)
	}
	if u.Timeout != DefaultTimeout || u.Samples != DefaultSamples {
		t.Errorf("Timeout = %v, Samples = %v; want the defaults when the file sets neither", u.Timeout, u.Samples)
	}
	// The run's --timeout and --samples apply where the file sets neither.
	timeout, samples := 2*time.Second, 3
	run := g.WithRunSettings(RunSettings{Timeout: &timeout, Samples: &samples}).Lookup("api")
	if run.Timeout != timeout || run.Samples != samples {
		t.Errorf("with run settings: Timeout = %v, Samples = %v; want %v and %d", run.Timeout, run.Samples, timeout, samples)
	}
	if u.Timeout != DefaultTimeout || u.Samples != DefaultSamples {
		t.Error("WithRunSettings changed the graph it was called on")
	}
	if len(u.Resolvers) != 1 || u.Resolvers[0].Kind != "system" {
		t.Errorf("Resolvers = %v, want [system]", u.Resolvers)
	}
	if !slices.Equal(u.Expect.Status, DefaultStatus()) || u.Expect.BodyRegex != nil || u.Expect.MaxLatency != 0 {
		t.Errorf("Expect = %+v, want the default status and CertMinDays, nothing else", u.Expect)
	}
	if u.URL.Host != "api.example.com:443" || u.DependsOn == nil || len(u.DependsOn) != 0 || u.Headers == nil || u.Tags == nil {
		t.Errorf("upstream = %+v", u)
	}
	if g.Policy.Severity == nil || len(g.Secrets()) != 0 {
		t.Errorf("Policy = %v, Secrets = %v", g.Policy, g.Secrets())
	}
}

func TestDefaultsMerge(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"a.pem", "a.key", "b.pem", "b.key"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	const src = `
version: 1
defaults:
  headers: {User-Agent: updoc, X-Env: prod}
  expect: {status: ["2xx"], max_latency: 1s, cert_min_days: 30}
  tls: {server_name: default.internal, cert_file: a.pem, key_file: a.key}
  timeout: 3s
  samples: 5
  method: HEAD
  follow_redirects: false
  max_body: 2MiB
  ip_family: ipv6
  resolvers: ["9.9.9.9"]
  tags: [prod]
  body: hello
upstreams:
  plain:
    url: http://plain.internal
  over:
    url: https://over.internal
    headers: {user-agent: custom, X-Own: "1"}
    expect: {max_latency: 200ms}
    tls: {insecure_skip_verify: true, cert_file: b.pem, key_file: b.key}
    timeout: 1s
    samples: 0
    method: GET
    follow_redirects: true
    max_body: 100
    ip_family: any
    resolvers: [system]
    tags: []
    body: ""
`
	g, err := Load(filepath.Join(dir, "test.yaml"), []byte(src), env())
	if err != nil {
		t.Fatal(err)
	}
	plain, over := g.Lookup("plain"), g.Lookup("over")
	if want := []Header{{"User-Agent", "updoc", false}, {"X-Env", "prod", false}}; !slices.Equal(plain.Headers, want) {
		t.Errorf("plain headers = %v", plain.Headers)
	}
	if want := []Header{{"X-Env", "prod", false}, {"user-agent", "custom", false}, {"X-Own", "1", false}}; !slices.Equal(over.Headers, want) {
		t.Errorf("over headers = %v, want %v", over.Headers, want)
	}
	if plain.Timeout != 3*time.Second || plain.Samples != 5 || plain.Method != "HEAD" || plain.FollowRedirects || plain.MaxBody != 2<<20 ||
		plain.IPFamily != "ipv6" || plain.Body != "hello" || !slices.Equal(plain.Tags, []string{"prod"}) || plain.Resolvers[0].Addr != "9.9.9.9:53" {
		t.Errorf("plain = %+v", plain)
	}
	if over.Timeout != time.Second || over.Samples != 0 || over.Method != "GET" || !over.FollowRedirects || over.MaxBody != 100 ||
		over.IPFamily != "any" || over.Body != "" || len(over.Tags) != 0 || over.Resolvers[0].Kind != "system" {
		t.Errorf("over = %+v", over)
	}
	// expect merges field by field.
	if !slices.Equal(over.Expect.Status, []StatusRange{{200, 299}}) || over.Expect.MaxLatency != 200*time.Millisecond || over.Expect.CertMinDays != 30 {
		t.Errorf("over expect = %+v", over.Expect)
	}
	// tls merges field by field; cert_file and key_file as a pair.
	if over.TLS.ServerName != "default.internal" || !over.TLS.InsecureSkipVerify || filepath.Base(over.TLS.CertFile) != "b.pem" || filepath.Base(over.TLS.KeyFile) != "b.key" {
		t.Errorf("over tls = %+v", over.TLS)
	}
	if plain.TLS.InsecureSkipVerify || filepath.Base(plain.TLS.CertFile) != "a.pem" || !filepath.IsAbs(plain.TLS.CertFile) {
		t.Errorf("plain tls = %+v", plain.TLS)
	}
	// The upstreams do not share slices.
	plain.Headers[0].Value = "changed"
	if g.Lookup("over").Headers[0].Value != "prod" {
		t.Error("headers slices are shared between upstreams")
	}
	// Values the file sets win over the run's.
	timeout, samples := 9*time.Second, 9
	run := g.WithRunSettings(RunSettings{Timeout: &timeout, Samples: &samples})
	if r := run.Lookup("over"); r.Timeout != time.Second || r.Samples != 0 {
		t.Errorf("with run settings, over = %v / %d; want the file's 1s / 0", r.Timeout, r.Samples)
	}
}

func TestAliases(t *testing.T) {
	src := `version: 1
defaults:
  headers: &h {X-Team: core}
upstreams:
  a: {url: &u "http://a.internal", headers: *h, tags: &t [x, y]}
  b: {url: http://b.internal, tags: *t, depends_on: [a]}
`
	g := mustLoad(t, src, env())
	if h := g.Lookup("a").Headers; len(h) != 1 || h[0].Value != "core" {
		t.Errorf("a headers = %v", h)
	}
	if !slices.Equal(g.Lookup("b").Tags, []string{"x", "y"}) {
		t.Errorf("b tags = %v", g.Lookup("b").Tags)
	}
}

func TestEnvExpansion(t *testing.T) {
	lookup := env("HOST", "api.internal", "TOKEN", "abc123", "EMPTY", "", "PORT", "8443")
	tests := []struct {
		name, in, want string
		secret         bool
		err            string
	}{
		{name: "plain", in: "plain", want: "plain"},
		{name: "var", in: "${TOKEN}", want: "abc123", secret: true},
		{name: "embedded", in: "x-${TOKEN}-y", want: "x-abc123-y", secret: true},
		{name: "dollar dollar", in: "cost $$5", want: "cost $5"},
		{name: "dollar dollar brace", in: "$${TOKEN}", want: "${TOKEN}"},
		{name: "lone dollar", in: "a $b $", want: "a $b $"},
		{name: "empty var is set", in: "[${EMPTY}]", want: "[]", secret: true},
		{name: "unset", in: "${NOPE}", err: "environment variable NOPE is not set"},
		{name: "unterminated", in: "${TOKEN", err: `unterminated "${"`},
		{name: "bad name", in: "${1X}", err: `invalid variable reference "${1X}"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "version: 1\nupstreams:\n  api:\n    url: https://${HOST}:${PORT}/h\n    body: '" + tt.in + "'\n    headers:\n      X-Value: '" + tt.in + "'\n"
			g, err := loadString(t, src, lookup)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				var errs Errors
				errors.As(err, &errs)
				if len(errs) != 2 || errs[0].Line != 5 || errs[1].Line != 7 || !strings.HasPrefix(errs[0].Msg, "body: ") || !strings.HasPrefix(errs[1].Msg, "headers.X-Value: ") {
					t.Errorf("errors = %v, want one at body (line 5) and one at the header (line 7)", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			u := g.Lookup("api")
			if u.RawURL != "https://api.internal:8443/h" || u.URL.Host != "api.internal:8443" {
				t.Errorf("url = %q %v", u.RawURL, u.URL)
			}
			if u.Body != tt.want || u.Headers[0].Value != tt.want {
				t.Errorf("body, header = %q, %q; want %q", u.Body, u.Headers[0].Value, tt.want)
			}
			if u.Headers[0].Secret != tt.secret {
				t.Errorf("Secret = %v, want %v", u.Headers[0].Secret, tt.secret)
			}
		})
	}
}

func TestUnsetVariableInURLIsNotLeaked(t *testing.T) {
	src := "version: 1\nupstreams:\n  api:\n    url: https://user:${PASS}@api.internal/${MISSING}\n"
	_, err := loadString(t, src, env("PASS", "topsecret"))
	if err == nil || !strings.Contains(err.Error(), "test.yaml:4:10: url: environment variable MISSING is not set") {
		t.Fatalf("err = %v", err)
	}
	src = "version: 1\nupstreams:\n  api:\n    url: ftp://user:${PASS}@api.internal/\n"
	_, err = loadString(t, src, env("PASS", "topsecret"))
	if err == nil || strings.Contains(err.Error(), "topsecret") || !strings.Contains(err.Error(), `"ftp://user:xxxxx@api.internal/"`) {
		t.Fatalf("err = %v, want the url quoted with its password hidden", err)
	}
}

func TestSecretHeaders(t *testing.T) {
	src := `version: 1
defaults:
  headers:
    cookie: session=abc
upstreams:
  api:
    url: https://u:pw@api.internal
    headers:
      AUTHORIZATION: Basic dXNlcjpwYXNz
      Proxy-Authorization: ""
      X-Api-Key: ${KEY}
      X-Trace: on
`
	g := mustLoad(t, src, env("KEY", "k-123"))
	secret := map[string]bool{}
	for _, h := range g.Lookup("api").Headers {
		secret[h.Name] = h.Secret
	}
	want := map[string]bool{"cookie": true, "AUTHORIZATION": true, "Proxy-Authorization": true, "X-Api-Key": true, "X-Trace": false}
	for k, v := range want {
		if secret[k] != v {
			t.Errorf("header %s Secret = %v, want %v", k, secret[k], v)
		}
	}
	got := g.Secrets()
	wantS := []string{"Basic dXNlcjpwYXNz", "dXNlcjpwYXNz", "session=abc", "k-123", "pw"}
	if !slices.Equal(got, wantS) {
		t.Errorf("Secrets() = %q, want %q", got, wantS)
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
			`test.yaml:5:12: tags[0]: invalid tag "a b": use letters, digits and . _ : / -`},
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

func TestResolversAndTargets(t *testing.T) {
	tests := []struct {
		in, want, problem string
	}{
		{in: "system", want: "system"},
		{in: "1.1.1.1", want: "1.1.1.1:53"},
		{in: "1.1.1.1:5353", want: "1.1.1.1:5353"},
		{in: "udp://1.1.1.1:53", want: "1.1.1.1:53"},
		{in: "tcp://1.1.1.1", want: "tcp://1.1.1.1:53"},
		{in: "[2001:db8::1]", want: "[2001:db8::1]:53"},
		{in: "[2001:db8::1]:54", want: "[2001:db8::1]:54"},
		{in: "2001:db8::1", want: "[2001:db8::1]:53"},
		{in: "udp://[::1]:5353", want: "[::1]:5353"},
		{in: "ns1.example.com", want: "ns1.example.com:53"},
		{in: "https://1.1.1.1", problem: `unsupported scheme "https"`},
		{in: "1.1.1.1:0", problem: `invalid port "0"`},
		{in: "bad host!", problem: "want only HOST"},
		{in: "[1.1.1.1]", problem: "brackets hold an IPv6 address"},
		{in: "", problem: "no host"},
		{in: "SYSTEM", problem: `write "system" in lower case`},
	}
	for _, tt := range tests {
		r, problem := ParseResolver(tt.in)
		if tt.problem != "" {
			if !strings.Contains(problem, tt.problem) {
				t.Errorf("ParseResolver(%q) problem = %q, want %q", tt.in, problem, tt.problem)
			}
			continue
		}
		if problem != "" || r.String() != tt.want {
			t.Errorf("ParseResolver(%q) = %v, %q; want %v", tt.in, r, problem, tt.want)
		}
	}
	for in, want := range map[string]string{
		"10.0.0.1:80":      "",
		"[::1]:443":        "",
		"db.internal:5432": "",
		"10.0.0.1":         "has no port",
		"10.0.0.1:":        `has an invalid port ""`,
		":80":              "has no host",
		"::1:80":           "is not HOST:PORT",
		"10.0.0.1:65536":   `has an invalid port "65536"`,
		"bad_host!:80":     `has an invalid host "bad_host!"`,
	} {
		if got := checkHostPort(in); got != want && !strings.HasPrefix(got, want) || (want == "") != (got == "") {
			t.Errorf("checkHostPort(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseURL(t *testing.T) {
	tests := []struct{ in, host, problem string }{
		{in: "http://a.internal/x", host: "a.internal:80"},
		{in: "https://a.internal", host: "a.internal:443"},
		{in: "HTTPS://A.internal:8443/x", host: "A.internal:8443"},
		{in: "https://[2001:db8::1]/", host: "[2001:db8::1]:443"},
		{in: "tcp://10.0.0.1:5432", host: "10.0.0.1:5432"},
		{in: "tls://[::1]:443", host: "[::1]:443"},
		{in: "tls://x.internal", problem: `"tls://x.internal" needs a port for a tls check, e.g. tls://x.internal:443`},
		{in: "tcp://[::1]", problem: `needs a port for a tcp check, e.g. tcp://[::1]:5432`},
		{in: "example.com", problem: `missing scheme in "example.com"; write https://example.com or http://example.com`},
		{in: "localhost:8080", problem: "missing scheme"},
		{in: "ws://x", problem: `unsupported scheme "ws"`},
		{in: "http://:80/", problem: "has no host"},
		{in: "http://x:0/", problem: `invalid port "0"`},
		{in: "http://x:/", problem: "empty port"},
		{in: "http://x_y!/", problem: "invalid host name"},
	}
	for _, tt := range tests {
		u, problem := ParseURL(tt.in, tt.in)
		if tt.problem != "" {
			if !strings.Contains(problem, tt.problem) {
				t.Errorf("ParseURL(%q) problem = %q, want %q", tt.in, problem, tt.problem)
			}
			continue
		}
		if problem != "" || u.Host != tt.host {
			t.Errorf("ParseURL(%q) = %v, %q; want host %q", tt.in, u, problem, tt.host)
		}
	}
}

func TestLoadFile(t *testing.T) {
	minimal, err := os.ReadFile(filepath.Join(graphsDir, "valid-minimal.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Chdir(dir)

	_, err = LoadFile("", nil, env())
	if err == nil || !strings.Contains(err.Error(), "neither ./updoc.yaml nor ./updoc.yml") ||
		!strings.Contains(err.Error(), "pass -f FILE, or create updoc.yaml such as:\n\nversion: 1\nupstreams:") {
		t.Errorf("no default file: err = %v", err)
	}

	if err := os.WriteFile("updoc.yml", minimal, 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := LoadFile("", nil, env())
	if err != nil || g.File != "updoc.yml" {
		t.Fatalf("updoc.yml: %v, %v", g, err)
	}
	if err := os.WriteFile("updoc.yaml", []byte("version: 1\nupstreams: {x: {url: http://x}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err = LoadFile("", nil, env())
	if err != nil || g.File != "updoc.yaml" || g.Names()[0] != "x" {
		t.Fatalf("updoc.yaml first: %v, %v", g, err)
	}
	wd, _ := os.Getwd()
	if g.Dir != wd {
		t.Errorf("Dir = %q, want %q", g.Dir, wd)
	}

	g, err = LoadFile("-", strings.NewReader(string(minimal)), env())
	if err != nil || g.File != "<stdin>" || g.Dir != wd {
		t.Fatalf("stdin: %v, %v", g, err)
	}
	_, err = LoadFile("-", strings.NewReader("version: 1\nupstreams: {}\n"), env())
	if err == nil || !strings.HasPrefix(err.Error(), "<stdin>:2:12: upstreams: no upstreams defined") {
		t.Errorf("stdin error = %v", err)
	}

	if err := os.Mkdir("sub", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("sub/g.yaml", []byte("version: 1\nupstreams:\n  a:\n    url: https://a\n    tls: {ca_file: ca.pem}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// ca_file must be readable: missing, it is an error at its place.
	if _, err := LoadFile("sub/g.yaml", nil, env()); err == nil || !strings.HasPrefix(err.Error(), "sub/g.yaml:5:20: tls.ca_file: cannot read "+filepath.Join(wd, "sub", "ca.pem")+": no such file or directory") {
		t.Errorf("missing ca_file: err = %v", err)
	}
	if err := os.WriteFile("sub/ca.pem", []byte("-----BEGIN CERTIFICATE-----\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err = LoadFile("sub/g.yaml", nil, env())
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(wd, "sub", "ca.pem"); g.Upstreams[0].TLS.CAFile != want {
		t.Errorf("ca_file = %q, want %q (relative to the graph file)", g.Upstreams[0].TLS.CAFile, want)
	}

	_, err = LoadFile("missing.yaml", nil, env())
	if err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing file: err = %v", err)
	}
	_, err = LoadFile("sub", nil, env())
	if err == nil || !strings.Contains(err.Error(), "sub") {
		t.Errorf("directory: err = %v", err)
	}
}

func TestLookupEnvNilUsesProcessEnvironment(t *testing.T) {
	// Only reads: PATH is set in any test environment.
	if _, ok := os.LookupEnv("PATH"); !ok {
		t.Skip("PATH not set")
	}
	g, err := Load("x.yaml", []byte("version: 1\nupstreams:\n  a:\n    url: http://a\n    headers: {X-Path: \"${PATH}\"}\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if h := g.Upstreams[0].Headers[0]; h.Value != os.Getenv("PATH") || !h.Secret {
		t.Errorf("header = %+v", h)
	}
}

func TestSuggest(t *testing.T) {
	for _, tt := range []struct{ word, want string }{
		{"timout", "timeout"},
		{"dependson", "depends_on"},
		{"depends-on", "depends_on"},
		{"URL", "url"},
		{"xyz", ""},
		{"upstream_list", ""},
	} {
		if got := suggest.Closest(tt.word, names(upstreamKeys, inUpstream)); got != tt.want {
			t.Errorf("Suggest(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}

// TestExpandedValuesNeverInErrors: an error about a value that contained
// ${VAR} shows the value as written and never the expanded value, even in
// what the URL parser quotes of it (SPEC §2).
func TestExpandedValuesNeverInErrors(t *testing.T) {
	lookup := env("SECRET_TOK", "hunter2", "MIXED", "HuNtEr2", "BAD_HEADER", "hunter2\nX-Evil: 1",
		"ESC", "ab%zzcd", "HOSTV", "hunter2_host!")
	tests := []struct {
		name, field, value string
		want               []string // substrings of the error
	}{
		{name: "url port", field: "url", value: "http://127.0.0.1:${SECRET_TOK}/",
			want: []string{`"http://127.0.0.1:${SECRET_TOK}/" is not a valid URL`, `invalid port ":${SECRET_TOK}" after host`}},
		{name: "url scheme", field: "url", value: "${SECRET_TOK}://127.0.0.1:1/",
			want: []string{`unsupported scheme "${SECRET_TOK}" in "${SECRET_TOK}://127.0.0.1:1/"`}},
		{name: "url scheme lower-cased by the parser", field: "url", value: "${MIXED}://127.0.0.1:1/",
			want: []string{`unsupported scheme "${MIXED}"`}},
		{name: "url port with literal digits", field: "url", value: "tcp://db.internal:54${SECRET_TOK}",
			want: []string{`"tcp://db.internal:54${SECRET_TOK}" is not a valid URL`, `":54${SECRET_TOK}"`}},
		{name: "url escape inside a value", field: "url", value: "http://127.0.0.1:1/${ESC}",
			want: []string{`invalid URL escape "${ESC}"`}},
		{name: "url host", field: "url", value: "http://${HOSTV}/",
			want: []string{`"http://${HOSTV}/"`}},
		{name: "url with unset var next to a set one", field: "url", value: "http://127.0.0.1:${SECRET_TOK}/${NOPE}",
			want: []string{"environment variable NOPE is not set"}},
		{name: "header line break", field: "headers", value: "{X-Token: \"${BAD_HEADER}\"}",
			want: []string{"headers.X-Token: a header value must not contain line breaks or NUL"}},
		{name: "header unset var", field: "headers", value: "{X-Token: \"${SECRET_TOK}-${NOPE}\"}",
			want: []string{"headers.X-Token: environment variable NOPE is not set"}},
		{name: "body unset var", field: "body", value: "\"{\\\"t\\\": \\\"${SECRET_TOK}\\\", \\\"u\\\": \\\"${NOPE}\\\"}\"",
			want: []string{"body: environment variable NOPE is not set"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "version: 1\nupstreams:\n  api:\n"
			if tt.field == "url" {
				src += "    url: \"" + tt.value + "\"\n"
			} else {
				src += "    url: http://127.0.0.1:1/\n    " + tt.field + ": " + tt.value + "\n"
			}
			_, err := loadString(t, src, lookup)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			for _, leak := range []string{"hunter2", "HuNtEr2", "%zz", "X-Evil"} {
				if strings.Contains(strings.ToLower(msg), strings.ToLower(leak)) {
					t.Errorf("error shows the expanded value %q: %s", leak, msg)
				}
			}
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error = %s\nwant it to contain %s", msg, w)
				}
			}
		})
	}
}

// The starter graph offered when no file exists must itself be valid.
func TestStarterGraphIsValid(t *testing.T) {
	if _, err := Load("updoc.yaml", []byte(starterGraph), env()); err != nil {
		t.Fatal(err)
	}
}
