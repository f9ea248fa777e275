package catalog

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var placeholderRE = regexp.MustCompile(`\{\{[^}]*\}\}`)

func TestEveryCodeHasACompleteEntry(t *testing.T) {
	for _, code := range Codes() {
		e, ok := Lookup(code)
		if !ok {
			t.Errorf("%s: no catalogue entry", code)
			continue
		}
		if e.Code != code {
			t.Errorf("%s: entry has code %q", code, e.Code)
		}
		if strings.TrimSpace(e.Title) == "" {
			t.Errorf("%s: empty title", code)
		}
		if len(e.Meaning) < 80 {
			t.Errorf("%s: meaning too short to be useful: %q", code, e.Meaning)
		}
		if len(e.Evidence) == 0 {
			t.Errorf("%s: no typical evidence", code)
		}
		if n := len(e.Remediation); n < 2 || n > 5 {
			t.Errorf("%s: %d remediation steps, want 2..5", code, n)
		}
		for _, s := range append(append([]string{}, e.Evidence...), e.Remediation...) {
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s: empty evidence or remediation line", code)
			}
		}
		if e.Severity != "fail" && e.Severity != "warn" {
			t.Errorf("%s: severity %q", code, e.Severity)
		}
		if len(e.Layers) == 0 {
			t.Errorf("%s: no layer", code)
		}
		for _, l := range e.Layers {
			if l.Rank() > LayerRun.Rank() {
				t.Errorf("%s: unknown layer %q", code, l)
			}
		}
		for _, text := range []string{e.Title, e.Meaning} {
			if placeholderRE.MatchString(text) {
				t.Errorf("%s: placeholder in title/meaning (only remediation is rendered): %q", code, text)
			}
		}
	}
}

func TestSeverityAndLayerMatchSpec(t *testing.T) {
	// SPEC §4 table: default severity and layer.
	want := map[string][2]string{
		DNSResolverMismatch: {"warn", "dns"},
		TLSCertExpiring:     {"warn", "tls"},
		APIDeprecated:       {"warn", "http"},
		APISunsetScheduled:  {"warn", "http"},
		APISunsetPassed:     {"fail", "http"},
		LatencySlow:         {"warn", "latency"},
		LatencyHighSpread:   {"warn", "latency"},
		HTTPIntermittent:    {"warn", "latency"},
		LoadImbalance:       {"warn", "latency"},
		LoadReplicaDown:     {"warn", "tcp/tls/http"},
		DependencyUnhealthy: {"warn", "graph"},
		RunDeadlineExceeded: {"fail", "run"},
		RunInterrupted:      {"fail", "run"},
		GatewayBadGateway:   {"fail", "http"},
		TCPRefused:          {"fail", "tcp"},
	}
	for _, e := range All() {
		if w, ok := want[e.Code]; ok {
			if string(e.Severity) != w[0] || e.LayerText() != w[1] {
				t.Errorf("%s: severity/layer %s/%s, want %s/%s", e.Code, e.Severity, e.LayerText(), w[0], w[1])
			}
			continue
		}
		if e.Severity != "fail" {
			t.Errorf("%s: severity %s, want fail", e.Code, e.Severity)
		}
		prefix := strings.SplitN(e.Code, ".", 2)[0]
		wantLayer := prefix
		if prefix == "gateway" || prefix == "api" {
			wantLayer = "http"
		}
		if e.LayerText() != wantLayer {
			t.Errorf("%s: layer %s, want %s", e.Code, e.LayerText(), wantLayer)
		}
	}
}

func TestAllCoversCodesInOrderWithoutDuplicates(t *testing.T) {
	var got []string
	seen := map[string]bool{}
	for _, e := range All() {
		if seen[e.Code] {
			t.Errorf("duplicate entry %s", e.Code)
		}
		seen[e.Code] = true
		got = append(got, e.Code)
	}
	if !slices.Equal(got, Codes()) {
		t.Errorf("All() order:\n got %v\nwant %v", got, Codes())
	}
	if _, ok := Lookup("no.such_code"); ok {
		t.Error("Lookup of an unknown code succeeded")
	}
}

func TestAllReturnsCopies(t *testing.T) {
	a := All()
	a[0].Remediation[0] = "changed"
	a[0].Title = "changed"
	if b := All(); b[0].Remediation[0] == "changed" || b[0].Title == "changed" {
		t.Error("All() exposes the catalogue's own slices")
	}
}

func TestTemplatesUseKnownPlaceholders(t *testing.T) {
	known := map[string]bool{}
	for _, p := range Placeholders() {
		known["{{"+p+"}}"] = true
	}
	for _, e := range All() {
		templates := slices.Clone(e.Remediation)
		for _, v := range e.Variants {
			templates = append(templates, v.Steps...)
		}
		for _, s := range templates {
			if m := conditionRE().FindStringSubmatch(s); m != nil {
				if !slices.Contains(Conditions(), m[1]) {
					t.Errorf("%s: unknown condition %s in %q", e.Code, m[0], s)
				}
				s = s[len(m[0]):]
			}
			for _, p := range placeholderRE.FindAllString(s, -1) {
				if !known[p] {
					t.Errorf("%s: unknown placeholder %s in %q", e.Code, p, s)
				}
			}
		}
	}
}

func fullVars() Vars {
	return Vars{
		Upstream: "users", URL: "https://api.example.com:8443/health?x=1", Scheme: "https",
		Host: "api.example.com", Port: "8443", Target: "10.0.0.7:8443", TargetHost: "10.0.0.7", TargetPort: "8443",
		Resolver: "127.0.0.1:5353", ResolverServer: "127.0.0.1:5353", Name: "api.example.com.", ServerName: "api.example.com", Path: "/health?x=1",
		Method: "POST", Status: "503", RetryAfter: "30", MaxLatency: "300ms", CertMinDays: "21", CertFile: "/etc/updoc/client cert.pem",
		Dependencies: "db,cache", Product: "Envoy",
	}
}

func TestStepsSubstitutesEveryPlaceholder(t *testing.T) {
	for _, vars := range []Vars{fullVars(), {}} {
		for _, e := range All() {
			steps := e.Steps(vars)
			if len(steps) != len(e.Remediation) {
				t.Fatalf("%s: %d steps from %d templates", e.Code, len(steps), len(e.Remediation))
			}
			for _, s := range steps {
				if placeholderRE.MatchString(s) || strings.Contains(s, "{{") || strings.Contains(s, "}}") {
					t.Errorf("%s: placeholder left in %q", e.Code, s)
				}
				if strings.Contains(s, "<no value>") || strings.Contains(s, "  ") {
					t.Errorf("%s: junk in %q", e.Code, s)
				}
			}
		}
	}
}

func TestStepsConcreteValues(t *testing.T) {
	e, _ := Lookup(TCPRefused)
	steps := e.Steps(Vars{Upstream: "users", URL: "http://users.internal:8080/health", Target: "10.0.0.7:8080"})
	if steps[0] != "Confirm from this machine: nc -vz 10.0.0.7 8080" {
		t.Errorf("step 0 = %q", steps[0])
	}
	if !strings.Contains(steps[1], "users is running and listening on port 8080") || !strings.Contains(steps[1], "ss -ltnp 'sport = :8080'") {
		t.Errorf("step 1 = %q", steps[1])
	}

	e, _ = Lookup(DNSNXDomain)
	steps = e.Steps(Vars{Upstream: "api", URL: "http://nope.example.com/", Resolver: "127.0.0.1:53", ResolverServer: "127.0.0.1:53", Name: "nope.example.com."})
	if !strings.Contains(steps[1], "dig @127.0.0.1 nope.example.com. A") {
		t.Errorf("dig step = %q", steps[1])
	}
	steps = e.Steps(Vars{Name: "x.example.", Resolver: "system"})
	if !strings.Contains(steps[1], ": dig x.example. A") {
		t.Errorf("system resolver dig step = %q", steps[1])
	}
	steps = e.Steps(Vars{Name: "x.example.", Resolver: "system (10.0.0.2:53)", ResolverServer: "10.0.0.2:53"})
	if !strings.Contains(steps[1], ": dig @10.0.0.2 x.example. A") {
		t.Errorf("system resolver's nameserver dig step = %q", steps[1])
	}
	steps = e.Steps(Vars{Name: "x.example.", Resolver: "tcp://10.0.0.2:5353", ResolverServer: "10.0.0.2:5353", ResolverTCP: true})
	if !strings.Contains(steps[1], ": dig @10.0.0.2 -p 5353 +tcp x.example. A") {
		t.Errorf("tcp resolver dig step = %q", steps[1])
	}
	steps = e.Steps(Vars{})
	if !strings.Contains(steps[1], "dig @RESOLVER NAME A") {
		t.Errorf("generic dig step = %q", steps[1])
	}

	e, _ = Lookup(TLSCertExpired)
	steps = e.Steps(Vars{URL: "https://api.example.com/", Target: "[2001:db8::1]:443"})
	if !strings.Contains(steps[0], "openssl s_client -connect '[2001:db8::1]:443' -servername api.example.com </dev/null") {
		t.Errorf("openssl step = %q", steps[0])
	}

	e, _ = Lookup(HTTPUnavailable)
	steps = e.Steps(Vars{URL: "https://api.example.com/health", Target: "[2001:db8::1]:443"})
	if !strings.Contains(steps[0], "--resolve 'api.example.com:443:[2001:db8::1]' https://api.example.com/health") {
		t.Errorf("curl step = %q", steps[0])
	}
}

func TestDigServer(t *testing.T) {
	for _, tc := range []struct {
		server string
		tcp    bool
		want   string
	}{
		{"", false, ""}, // the system resolver, from the hosts file
		{"127.0.0.1:53", false, "@127.0.0.1"},
		{"127.0.0.1:5353", false, "@127.0.0.1 -p 5353"},
		{"10.0.0.2:53", true, "@10.0.0.2 +tcp"},
		{"10.0.0.2:553", false, "@10.0.0.2 -p 553"},
		{"[::1]:53", false, "@::1"},
		{"9.9.9.9", false, "@9.9.9.9"},
	} {
		if got := digServer(tc.server, tc.tcp); got != tc.want {
			t.Errorf("digServer(%q, %v) = %q, want %q", tc.server, tc.tcp, got, tc.want)
		}
	}
}

// TestStepsCommands: steps that suggest an updoc command use the command
// the caller gives (with -f FILE, updoc probe URL, updoc demo), and a
// generic form without one.
func TestStepsCommands(t *testing.T) {
	var all []string
	for _, e := range All() {
		all = append(all, e.Remediation...)
	}
	for _, s := range all {
		if strings.Contains(s, "updoc check") || strings.Contains(s, "updoc graph") {
			t.Errorf("template hard-codes an updoc command instead of {{Check}}/{{GraphCheck}}: %q", s)
		}
	}

	e, _ := Lookup(DependencyUnhealthy)
	steps := e.Steps(Vars{Upstream: "edge", Dependencies: "db,cache",
		Check: "updoc check -f lab.yaml --only edge", CheckDependencies: "updoc check -f lab.yaml --only db,cache",
		GraphCheck: "updoc graph -f lab.yaml --check"})
	want := []string{
		"Fix the dependencies first; see their own findings: updoc check -f lab.yaml --only db,cache",
		"See the whole picture: updoc graph -f lab.yaml --check",
		"Re-check edge once they are healthy: updoc check -f lab.yaml --only edge",
	}
	if !slices.Equal(steps, want) {
		t.Errorf("steps = %q\nwant %q", steps, want)
	}
	steps = e.Steps(Vars{Upstream: "edge", Dependencies: "db"})
	want = []string{
		"Fix the dependencies first; see their own findings: updoc check --only db",
		"See the whole picture: updoc graph --check",
		"Re-check edge once they are healthy: updoc check --only edge",
	}
	if !slices.Equal(steps, want) {
		t.Errorf("generic steps = %q\nwant %q", steps, want)
	}
	e, _ = Lookup(RunInterrupted)
	if steps := e.Steps(Vars{Check: "updoc probe http://127.0.0.1:1/health"}); steps[0] != "Re-run this upstream: updoc probe http://127.0.0.1:1/health" {
		t.Errorf("step 0 = %q", steps[0])
	}
}

// TestStepConditions: "{{unless DependsOn}}" leaves the step out for an
// upstream that already has dependencies in the graph.
func TestStepConditions(t *testing.T) {
	e, _ := Lookup(GatewayNoHealthyUpstream)
	hasAddStep := func(steps []string) bool {
		return slices.ContainsFunc(steps, func(s string) bool { return strings.Contains(s, "Add the backend service to the graph") })
	}
	without := e.Steps(Vars{Upstream: "gw"})
	if !hasAddStep(without) || len(without) != len(e.Remediation) {
		t.Errorf("no depends_on: steps = %q, want every step", without)
	}
	for _, s := range without {
		if strings.Contains(s, "unless") || strings.HasPrefix(s, " ") {
			t.Errorf("condition left in %q", s)
		}
	}
	with := e.Steps(Vars{Upstream: "gw", DependsOn: true})
	if hasAddStep(with) || len(with) != len(e.Remediation)-1 {
		t.Errorf("with depends_on: steps = %q, want the add-a-dependency step left out", with)
	}
	if !hasAddStep(e.Steps(Vars{})) {
		t.Error("updoc explain (Vars{}) must show every step")
	}
}

// A refused connection to a loopback target gets no step about binding to
// 0.0.0.0 (the service is on this host, reached on the address it would
// bind); another target does (QA B6).
func TestRefusedOnLoopbackLeavesOutTheBindStep(t *testing.T) {
	e, _ := Lookup(TCPRefused)
	bindStep := func(v Vars) bool {
		return slices.ContainsFunc(e.Steps(v), func(s string) bool { return strings.Contains(s, "fix its bind address") })
	}
	for target, want := range map[string]bool{"127.0.0.1:18200": false, "[::1]:18200": false, "10.0.0.7:8080": true, "": true} {
		if got := bindStep(Vars{Upstream: "api", URL: "http://api.test:8080/", Target: target}); got != want {
			t.Errorf("target %q: bind step %v, want %v", target, got, want)
		}
	}
}

func TestURLIsOneShellWord(t *testing.T) {
	e, _ := Lookup(HTTPUnexpectedStatus)
	steps := strings.Join(e.Steps(Vars{Upstream: "api", URL: "http://api.test:80/x?a=1&b=2"}), "\n")
	if !strings.Contains(steps, "'http://api.test:80/x?a=1&b=2'") {
		t.Fatalf("the URL is not quoted as one word:\n%s", steps)
	}
	if got := ShellQuote("it's"); got != `'it'\''s'` {
		t.Fatalf("ShellQuote: %s", got)
	}
	if got := ShellQuote("http://api.test:80/health"); got != "http://api.test:80/health" {
		t.Fatalf("a plain URL was quoted: %s", got)
	}
}

// Get is Lookup without the copies: the same entry, and no allocation
// (diagnosis calls it once per finding).
func TestGetIsLookupWithoutCopies(t *testing.T) {
	for _, e := range All() {
		got, ok := Get(e.Code)
		if !ok || !reflect.DeepEqual(got, e) {
			t.Errorf("Get(%s) differs from the catalogue's entry", e.Code)
		}
	}
	if _, ok := Get("no.such_code"); ok {
		t.Error("Get of an unknown code: ok")
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = Get(TCPRefused) }); n != 0 {
		t.Errorf("Get allocates %v times, want 0", n)
	}
}
