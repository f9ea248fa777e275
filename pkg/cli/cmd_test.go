package cli

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/updoc/updoc/internal/testserver"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/iostreams"
)

func TestExplain(t *testing.T) {
	list := run(t, context.Background(), nil, "", "explain")
	if list.code != 0 {
		t.Fatalf("explain: exit %d: %s", list.code, list.stderr)
	}
	for _, code := range catalog.Codes() {
		if !strings.Contains(list.stdout, code) {
			t.Errorf("explain list lacks %s", code)
		}
		r := run(t, context.Background(), nil, "", "explain", code)
		if r.code != 0 {
			t.Fatalf("explain %s: exit %d: %s", code, r.code, r.stderr)
		}
		for _, section := range []string{code + " — ", "What it means", "Typical evidence", "What to do", "  1. "} {
			if !strings.Contains(r.stdout, section) {
				t.Errorf("explain %s lacks %q:\n%s", code, section, r.stdout)
			}
		}
		if strings.Contains(r.stdout, "<no value>") || strings.Contains(r.stdout, "{{") {
			t.Errorf("explain %s shows an unfilled template:\n%s", code, r.stdout)
		}
	}
}

func TestExplainUnknownCode(t *testing.T) {
	if r := run(t, context.Background(), nil, "", "explain", "TLS.Cert_Expired"); r.code != 0 || !strings.HasPrefix(r.stdout, "tls.cert_expired — ") {
		t.Fatalf("explain is case-sensitive: exit %d, %q", r.code, r.stderr)
	}
	r := run(t, context.Background(), nil, "", "explain", "tcp.refuse")
	if r.code != ExitInvalid {
		t.Fatalf("exit %d, want 2", r.code)
	}
	if !strings.Contains(r.stderr, `unknown cause code "tcp.refuse"`) || !strings.Contains(r.stderr, "did you mean tcp.refused?") || !strings.Contains(r.stderr, "dns.nxdomain") {
		t.Fatalf("stderr: %s", r.stderr)
	}
}

func TestInvalidInputExits2(t *testing.T) {
	file := writeFile(t, "ok.yaml", "version: 1\nupstreams:\n  a: {url: \"tcp://127.0.0.1:1\"}\n")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"check", "-f", file, "--output", "yaml"}, `invalid --output "yaml"`},
		{[]string{"check", "-f", file, "--fail-on", "never"}, `invalid --fail-on "never"`},
		{[]string{"check", "-f", file, "--color", "sometimes"}, `invalid --color "sometimes"`},
		{[]string{"check", "-f", file, "--concurrency", "0"}, "invalid --concurrency 0"},
		{[]string{"check", "-f", file, "--timeout", "0s"}, "invalid --timeout"},
		{[]string{"check", "-f", file, "--only", "nope"}, "nope"},
		{[]string{"check", "-f", file, "--bogus"}, "unknown flag: --bogus"},
		{[]string{"check", "-f", "/nonexistent/updoc.yaml"}, "/nonexistent/updoc.yaml"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"probe"}, "probe needs at least one URL, e.g. updoc probe https://"},
		{[]string{"check", "updoc.yaml"}, `unexpected argument "updoc.yaml": 'updoc check' takes no arguments; name the graph file with -f updoc.yaml`},
		{[]string{"version", "x"}, `unexpected argument "x": 'updoc version' takes no arguments`},
		{[]string{"graph", "-f", file, "--only", "nope"}, "nope"},
		{[]string{"probe", "example.test"}, "example.test"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := run(t, context.Background(), nil, "", tt.args...)
			if r.code != ExitInvalid {
				t.Fatalf("exit %d, want 2; stderr: %s", r.code, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.want) {
				t.Fatalf("stderr lacks %q:\n%s", tt.want, r.stderr)
			}
		})
	}
}

func TestExitCodesAndQuiet(t *testing.T) {
	addr := testserver.Hung(t) // any listening port: tcp:// upstreams only connect
	refusedFile := writeFile(t, "r.yaml", "version: 1\nupstreams:\n  gone: {url: \"tcp://127.0.0.1:1\"}\n")
	okFile := writeFile(t, "ok.yaml", fmt.Sprintf("version: 1\nupstreams:\n  db: {url: \"tcp://%s\"}\n", addr))
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"healthy", []string{"check", "-f", okFile, "-q", "--samples", "2"}, 0},
		{"unhealthy", []string{"check", "-f", refusedFile, "-q"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, context.Background(), nil, "", tt.args...)
			if r.code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", r.code, tt.code, r.stderr)
			}
			if r.stdout != "" || r.stderr != "" {
				t.Fatalf("-q printed: stdout %q stderr %q", r.stdout, r.stderr)
			}
		})
	}
}

func TestCheckReadsStdin(t *testing.T) {
	addr := testserver.Hung(t)
	r := run(t, context.Background(), nil, fmt.Sprintf("version: 1\nupstreams:\n  db: {url: \"tcp://%s\"}\n", addr), "check", "-f", "-", "-o", "json", "--samples", "0")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	rep := decodeReport(t, r.stdout)
	if len(rep.Upstreams) != 1 || rep.Upstreams[0].Name != "db" {
		t.Fatalf("report: %+v", rep.Upstreams)
	}
}

func TestWrap(t *testing.T) {
	got := wrap("one two three four five six", "  ", 12)
	want := "  one two\n  three four\n  five six"
	if got != want {
		t.Fatalf("wrap:\n%q\nwant\n%q", got, want)
	}
	if got := wrap("averyveryverylongword x", "  ", 8); got != "  averyveryverylongword\n  x" {
		t.Fatalf("long word: %q", got)
	}
	// Non-ASCII text wraps by display columns, not bytes: "é" is two
	// bytes and one column, a kanji two bytes more and two columns.
	if got := wrap("café résumé naïve déjà", "  ", 14); got != "  café résumé\n  naïve déjà" {
		t.Fatalf("accented text: %q", got)
	}
	if got := wrap("日本語 テキスト です", "  ", 10); got != "  日本語\n  テキスト\n  です" {
		t.Fatalf("CJK text: %q", got)
	}
}

func TestWatchInAPipe(t *testing.T) {
	addr := testserver.Hung(t)
	file := writeFile(t, "w.yaml", fmt.Sprintf("version: 1\ndefaults: {samples: 0}\nupstreams:\n  db: {url: \"tcp://%s\"}\n  gone: {url: \"tcp://127.0.0.1:1\", depends_on: [db]}\n", addr))

	lines := run(t, context.Background(), nil, "", "watch", "-f", file, "--interval", "50ms", "--count", "2")
	if lines.code != ExitUnhealthy {
		t.Fatalf("exit %d, want 1 (gone is refused): %s", lines.code, lines.stderr)
	}
	got := strings.Split(strings.TrimSuffix(lines.stdout, "\n"), "\n")
	if len(got) != 2 {
		t.Fatalf("want 2 summary lines, got %d:\n%s", len(got), lines.stdout)
	}
	for i, l := range got {
		for _, want := range []string{fmt.Sprintf("round %d unhealthy: 2 upstreams, 1 healthy, 0 degraded, 1 unhealthy", i+1), "root causes: tcp.refused on gone"} {
			if !strings.Contains(l, want) {
				t.Errorf("line %d lacks %q: %s", i+1, want, l)
			}
		}
	}

	js := run(t, context.Background(), nil, "", "watch", "-f", file, "--interval", "50ms", "--count", "2", "-o", "json")
	docs := strings.Split(strings.TrimSuffix(js.stdout, "\n"), "\n")
	if len(docs) != 2 {
		t.Fatalf("want 2 JSON lines, got %d:\n%s", len(docs), js.stdout)
	}
	for _, d := range docs {
		if r := decodeReport(t, d); r.Summary.Total != 2 {
			t.Errorf("report summary %+v", r.Summary)
		}
	}
}

func TestWatchInterruptedEndsWith130(t *testing.T) {
	addr := testserver.Hung(t)
	file := writeFile(t, "w.yaml", fmt.Sprintf("version: 1\ndefaults: {samples: 0}\nupstreams:\n  db: {url: \"tcp://%s\"}\n", addr))
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	ctx, stop := context.WithCancel(ctx)
	go func() { time.Sleep(200 * time.Millisecond); stop() }()
	r := run(t, ctx, nil, "", "watch", "-f", file, "--interval", "50ms")
	if r.code != ExitInterrupted {
		t.Fatalf("exit %d, want 130: %s", r.code, r.stderr)
	}
	if n := strings.Count(r.stdout, "\n"); n < 2 {
		t.Fatalf("want a line per round before the interrupt, got %d:\n%s", n, r.stdout)
	}
}

func TestTUINeedsATerminal(t *testing.T) {
	file := writeFile(t, "ok.yaml", "version: 1\nupstreams:\n  a: {url: \"tcp://127.0.0.1:1\"}\n")
	for _, args := range [][]string{
		{"check", "-f", file, "--tui"},
		{"check", "-f", file, "-o", "tui"},
		{"watch", "-f", file, "-o", "tui"},
		{"check", "-f", file, "--tui", "-o", "json"},
		{"watch", "-f", file, "-o", "junit"},
	} {
		r := run(t, context.Background(), nil, "", args...)
		if r.code != ExitInvalid || r.stdout != "" {
			t.Errorf("%v: exit %d, stdout %q, want 2 and nothing on stdout", args, r.code, r.stdout)
		}
	}
}

func TestProgressOnlyForATerminalTable(t *testing.T) {
	addr := testserver.Hung(t)
	file := writeFile(t, "p.yaml", fmt.Sprintf("version: 1\ndefaults: {samples: 0}\nupstreams:\n  db: {url: \"tcp://%s\"}\n", addr))
	tests := []struct {
		name              string
		stdoutTTY, errTTY bool
		output            string
		wantProgress      bool
	}{
		{"terminal table", true, true, "table", true},
		{"terminal json", true, true, "json", false},
		{"stderr piped", true, false, "table", false},
		{"stdout piped", false, true, "table", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, errOut := iostreams.Test()
			ios.SetStdoutTTY(tt.stdoutTTY)
			ios.SetStderrTTY(tt.errTTY)
			root := NewRootCmd(ios, func(string) (string, bool) { return "", false })
			root.SetArgs([]string{"check", "-f", file, "-o", tt.output})
			if err := root.ExecuteContext(context.Background()); err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(errOut.String(), "probing 1/1 upstreams…"); got != tt.wantProgress {
				t.Fatalf("progress shown = %v, want %v; stderr %q", got, tt.wantProgress, errOut.String())
			}
		})
	}
}

func TestGraphFileErrorsOneALine(t *testing.T) {
	file := writeFile(t, "bad.yaml", "version: 1\nupstreams:\n  a:\n    url: http://x.test/\n    timeout: fast\n  b:\n    ur: tcp://x.test:1\n")
	r := run(t, context.Background(), nil, "", "validate", "-f", file)
	want := file + ":5:14: timeout: want a duration like 5s, got \"fast\"\n" + file + ":6:3: upstream \"b\" has no url"
	if r.code != ExitInvalid || !strings.HasPrefix(r.stderr, want) {
		t.Fatalf("exit %d, stderr:\n%s\nwant it to start with:\n%s", r.code, r.stderr, want)
	}
}

// A degraded run (one replica of two refuses) exits 0 by default and 1 with
// --fail-on degraded.
func TestFailOnDegraded(t *testing.T) {
	addr := testserver.Hung(t)
	file := writeFile(t, "d.yaml", fmt.Sprintf("version: 1\ndefaults: {samples: 0}\nupstreams:\n  pool: {url: \"tcp://pool.test:1\", targets: [\"%s\", \"127.0.0.1:1\"]}\n", addr))
	def := run(t, context.Background(), nil, "", "check", "-f", file, "-o", "json")
	if def.code != 0 {
		t.Fatalf("default --fail-on: exit %d, want 0; %s", def.code, def.stderr)
	}
	if rep := decodeReport(t, def.stdout); rep.Status != "degraded" {
		t.Fatalf("status %s, want degraded", rep.Status)
	}
	if r := run(t, context.Background(), nil, "", "check", "-f", file, "-q", "--fail-on", "degraded"); r.code != ExitUnhealthy {
		t.Fatalf("--fail-on degraded: exit %d, want 1", r.code)
	}
}

func TestGraphCheckTreeColour(t *testing.T) {
	file := writeFile(t, "c.yaml", "version: 1\ndefaults: {samples: 0}\nupstreams:\n  db: {url: \"tcp://127.0.0.1:1\"}\n")
	r := run(t, context.Background(), nil, "", "graph", "-f", file, "--check", "--color", "always")
	if want := "db [\x1b[31munhealthy\x1b[0m: tcp.refused]\n"; r.stdout != want {
		t.Fatalf("tree %q, want %q", r.stdout, want)
	}
	r = run(t, context.Background(), nil, "", "graph", "-f", file, "--check", "--color", "always", "--format", "dot")
	if strings.Contains(r.stdout, "\x1b") {
		t.Fatal("escape codes in DOT output")
	}
}

func TestVersionFlagAndListSome(t *testing.T) {
	r := run(t, context.Background(), nil, "", "--version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "updoc ") {
		t.Fatalf("--version: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	if got := listSome([]string{"a", "b", "c"}, 2); got != "a, b, … and 1 more" {
		t.Fatalf("listSome: %q", got)
	}
	if got := listSome([]string{"a", "b"}, 2); got != "a, b" {
		t.Fatalf("listSome: %q", got)
	}
}
