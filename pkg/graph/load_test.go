package graph

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestValidFull(t *testing.T) {
	g := loadTestdata(t, "valid-full.yaml", env("USERS_TOKEN", "s3cret-token", "PROBE_ID", "p-1", "BASIC_PASS", "hunter2"))
	absDir, _ := filepath.Abs(graphsDir)
	if g.File != filepath.Join(graphsDir, "valid-full.yaml") || g.Dir != absDir || g.Version != 1 {
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
	if edge.Proxy.Mode != ProxyURL || edge.Proxy.URL.String() != "socks5h://bastion.internal:1080" {
		t.Errorf("edge proxy = %+v", edge.Proxy)
	}
	if p := g.Lookup("users").Proxy; p.Mode != ProxyNone || g.Lookup("basic").Proxy.Mode != ProxyFromEnv {
		t.Errorf("users proxy = %+v, basic's = %+v", p, g.Lookup("basic").Proxy)
	}
	// On an http:// upstream, tls holds the trust of its redirects to https.
	if tc := g.Lookup("users").TLS; !tc.InsecureSkipVerify || tc.CAFile != filepath.Join(absDir, "certs/ca.pem") {
		t.Errorf("users tls = %+v", tc)
	}
	if want := []Header{{"User-Agent", "updoc", false, ""}, {"Accept", "application/json", false, ""}}; !slices.Equal(edge.Headers, want) {
		t.Errorf("edge headers = %v, want %v", edge.Headers, want)
	}

	users := g.Lookup("users")
	if users.URL.Host != "users.internal:8080" || users.Method != "POST" || users.Body != `{"probe": "p-1"}` {
		t.Errorf("users = %v %q %q", users.URL, users.Method, users.Body)
	}
	if users.BodyWritten != `{"probe": "${PROBE_ID}"}` {
		t.Errorf("users body as written = %q", users.BodyWritten)
	}
	wantH := []Header{
		{"User-Agent", "updoc", false, ""},
		{"accept", "text/plain", false, ""},
		{"Authorization", "Bearer s3cret-token", true, "Bearer ${USERS_TOKEN}"},
		{"X-Literal", "cost $5", false, ""},
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
	if users.Pos != (Position{Line: 38, Column: 3}) {
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
	// p-1 is what ${PROBE_ID} expanded to in the body of users; the url's
	// user:password goes as Basic base64.
	if want := []string{"cHJvYmU6aHVudGVyMg==", "Bearer s3cret-token", "probe:hunter2", "s3cret-token", "hunter2", "p-1"}; !slices.Equal(g.Secrets(), want) {
		t.Errorf("Secrets() = %q, want %q", g.Secrets(), want)
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

func TestLoadFile(t *testing.T) {
	minimal, err := os.ReadFile(filepath.Join(graphsDir, "valid-minimal.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	t.Chdir(dir)

	_, err = LoadFile(context.Background(), "", nil, env())
	if err == nil || !strings.Contains(err.Error(), "neither ./updoc.yaml nor ./updoc.yml") ||
		!strings.Contains(err.Error(), "pass -f FILE, or create updoc.yaml such as:\n\nversion: 1\nupstreams:") {
		t.Errorf("no default file: err = %v", err)
	}

	if err := os.WriteFile("updoc.yml", minimal, 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := LoadFile(context.Background(), "", nil, env())
	if err != nil || g.File != "updoc.yml" {
		t.Fatalf("updoc.yml: %v, %v", g, err)
	}
	if err := os.WriteFile("updoc.yaml", []byte("version: 1\nupstreams: {x: {url: http://x}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err = LoadFile(context.Background(), "", nil, env())
	if err != nil || g.File != "updoc.yaml" || g.Names()[0] != "x" {
		t.Fatalf("updoc.yaml first: %v, %v", g, err)
	}
	wd, _ := os.Getwd()
	if g.Dir != wd {
		t.Errorf("Dir = %q, want %q", g.Dir, wd)
	}

	g, err = LoadFile(context.Background(), "-", strings.NewReader(string(minimal)), env())
	if err != nil || g.File != "<stdin>" || g.Dir != wd {
		t.Fatalf("stdin: %v, %v", g, err)
	}
	_, err = LoadFile(context.Background(), "-", strings.NewReader("version: 1\nupstreams: {}\n"), env())
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
	if _, err := LoadFile(context.Background(), "sub/g.yaml", nil, env()); err == nil || !strings.HasPrefix(err.Error(), "sub/g.yaml:5:20: tls.ca_file: cannot read "+filepath.Join(wd, "sub", "ca.pem")+": no such file or directory") {
		t.Errorf("missing ca_file: err = %v", err)
	}
	if err := os.WriteFile("sub/ca.pem", []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err = LoadFile(context.Background(), "sub/g.yaml", nil, env())
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(wd, "sub", "ca.pem"); g.Upstreams[0].TLS.CAFile != want {
		t.Errorf("ca_file = %q, want %q (relative to the graph file)", g.Upstreams[0].TLS.CAFile, want)
	}

	_, err = LoadFile(context.Background(), "missing.yaml", nil, env())
	if err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing file: err = %v", err)
	}
	_, err = LoadFile(context.Background(), "sub", nil, env())
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

// The starter graph offered when no file exists must itself be valid.
func TestStarterGraphIsValid(t *testing.T) {
	if _, err := Load("updoc.yaml", []byte(starterGraph), env()); err != nil {
		t.Fatal(err)
	}
}
