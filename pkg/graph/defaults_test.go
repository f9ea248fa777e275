package graph

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestValidMinimalBuiltinDefaults(t *testing.T) {
	g := loadTestdata(t, "valid-minimal.yaml", env())
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
	for f, pemType := range map[string]string{"a.pem": "CERTIFICATE", "a.key": "PRIVATE KEY", "b.pem": "CERTIFICATE", "b.key": "PRIVATE KEY"} {
		block := "-----BEGIN " + pemType + "-----\nAAAA\n-----END " + pemType + "-----\n"
		if err := os.WriteFile(filepath.Join(dir, f), []byte(block), 0o600); err != nil {
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
	if want := []Header{{"User-Agent", "updoc", false, ""}, {"X-Env", "prod", false, ""}}; !slices.Equal(plain.Headers, want) {
		t.Errorf("plain headers = %v", plain.Headers)
	}
	if want := []Header{{"X-Env", "prod", false, ""}, {"user-agent", "custom", false, ""}, {"X-Own", "1", false, ""}}; !slices.Equal(over.Headers, want) {
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
	// The run's values (flags on the command line) beat the file's.
	timeout, samples := 9*time.Second, 9
	run := g.WithRunSettings(RunSettings{Timeout: &timeout, Samples: &samples})
	if r := run.Lookup("over"); r.Timeout != timeout || r.Samples != samples {
		t.Errorf("with run settings, over = %v / %d; want the run's %v / %d", r.Timeout, r.Samples, timeout, samples)
	}
	// plain's method (HEAD, from defaults:) repeats nothing harmful.
	if r := run.Lookup("plain"); r.Samples != samples {
		t.Errorf("with run settings, plain samples = %d; want %d", r.Samples, samples)
	}
}

// TestCertMinDaysZeroIsKept: expect.cert_min_days: 0 means 0 (no
// tls.cert_expiring), not the default, wherever it is set.
func TestCertMinDaysZeroIsKept(t *testing.T) {
	tests := []struct {
		name, defaults, own string
		want                int
	}{
		{"upstream", "", "expect: {cert_min_days: 0}", 0},
		{"defaults", "expect: {cert_min_days: 0}", "", 0},
		{"upstream over defaults", "expect: {cert_min_days: 30}", "expect: {cert_min_days: 0}", 0},
		{"defaults over the default", "expect: {cert_min_days: 3}", "", 3},
		{"nothing set", "", "", DefaultCertMinDays},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "version: 1\n"
			if tt.defaults != "" {
				src += "defaults:\n  " + tt.defaults + "\n"
			}
			src += "upstreams:\n  api:\n    url: https://api.internal\n"
			if tt.own != "" {
				src += "    " + tt.own + "\n"
			}
			if got := mustLoad(t, src, env()).Upstreams[0].Expect.CertMinDays; got != tt.want {
				t.Errorf("CertMinDays = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestWithRunSettings: the run's timeout and samples (flags given on the
// command line) beat the file's values; an upstream that writes keeps 0
// samples unless it sets samples itself.
func TestWithRunSettings(t *testing.T) {
	src := `version: 1
defaults:
  timeout: 3s
  samples: 4
upstreams:
  none: {url: http://none}
  own: {url: http://own, timeout: 1s, samples: 0}
  samples: {url: http://samples, samples: 2}
  post: {url: http://post, method: POST}
  postOwn: {url: http://post, method: POST, samples: 1}
  db: {url: "tcp://db:5432"}
`
	g := mustLoad(t, src, env())
	fileValues := []struct {
		name    string
		timeout time.Duration
		samples int
	}{
		{"none", 3 * time.Second, 4},
		{"own", time.Second, 0},
		{"samples", 3 * time.Second, 2},
		{"post", 3 * time.Second, 0}, // defaults: samples does not repeat a write
		{"postOwn", 3 * time.Second, 1},
		{"db", 3 * time.Second, 4},
	}
	for _, tt := range fileValues {
		u := g.Lookup(tt.name)
		if u.Timeout != tt.timeout || u.Samples != tt.samples {
			t.Errorf("file: %s: timeout %v, samples %d; want %v, %d", tt.name, u.Timeout, u.Samples, tt.timeout, tt.samples)
		}
	}
	timeout, samples := 9*time.Second, 9
	run := g.WithRunSettings(RunSettings{Timeout: &timeout, Samples: &samples})
	runValues := []struct {
		name    string
		samples int
	}{{"none", 9}, {"own", 9}, {"samples", 9}, {"post", 0}, {"postOwn", 9}, {"db", 9}}
	for _, tt := range runValues {
		u := run.Lookup(tt.name)
		if u.Timeout != timeout || u.Samples != tt.samples {
			t.Errorf("run: %s: timeout %v, samples %d; want %v, %d", tt.name, u.Timeout, u.Samples, timeout, tt.samples)
		}
	}
	if u := g.Lookup("none"); u.Samples != 4 || u.Timeout != 3*time.Second {
		t.Errorf("WithRunSettings changed the graph it was called on: %v, samples %d", u.Timeout, u.Samples)
	}
	if same := g.WithRunSettings(RunSettings{}); same.Lookup("own").Timeout != time.Second || same.Lookup("none").Samples != 4 {
		t.Error("no run settings: the graph's values must stay")
	}
}

// An upstream the run's settings do not change is shared, not copied
// (issue 11: a copy of every upstream per run); one they change is a copy.
func TestWithRunSettingsCopiesOnlyWhatChanges(t *testing.T) {
	g, err := Load("g.yaml", []byte("version: 1\nupstreams:\n  a:\n    url: http://a.test\n    samples: 3\n  b:\n    url: http://b.test\n"), env())
	if err != nil {
		t.Fatal(err)
	}
	three := 3
	run := g.WithRunSettings(RunSettings{Samples: &three})
	if run.Lookup("a") != g.Lookup("a") {
		t.Error("a already takes 3 samples: want the graph's own upstream, not a copy")
	}
	if run.Lookup("b") == g.Lookup("b") || run.Lookup("b").Samples != 3 || g.Lookup("b").Samples == 3 {
		t.Errorf("b: want a copy with 3 samples, the graph's own unchanged (run %d, graph %d)", run.Lookup("b").Samples, g.Lookup("b").Samples)
	}
}
