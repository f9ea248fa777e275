package cli

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/updoc/updoc/internal/testserver"
	"github.com/updoc/updoc/pkg/engine"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/iostreams"
	"github.com/updoc/updoc/pkg/report"
)

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

// SPEC §5–6: unknown (a probe the run cut short) counts as unhealthy for
// --fail-on and the exit code.
func TestStatusToExitCode(t *testing.T) {
	for _, tt := range []struct {
		status report.Status
		failOn string
		want   int
	}{
		{report.Healthy, "unhealthy", ExitOK},
		{report.Degraded, "unhealthy", ExitOK},
		{report.Degraded, "degraded", ExitUnhealthy},
		{report.Unknown, "unhealthy", ExitUnhealthy},
		{report.Unknown, "degraded", ExitUnhealthy},
		{report.Unhealthy, "unhealthy", ExitUnhealthy},
	} {
		ios, _, _, _ := iostreams.Test()
		f := &Factory{IO: ios, Env: func(string) (string, bool) { return "", false },
			Engine: func(context.Context, *graph.Graph, engine.Options, engine.Observer) report.Report {
				return report.Report{Schema: report.Schema, Status: tt.status, RootCauses: []report.RootCause{}, Upstreams: []report.Upstream{}}
			}}
		file := writeFile(t, "updoc.yaml", "version: 1\nupstreams:\n  api: {url: 'http://127.0.0.1:9/'}\n")
		root := newRootCmd(f)
		root.SetArgs([]string{"check", "-f", file, "-q", "--fail-on", tt.failOn})
		if got := exitCode(ios, root.ExecuteContext(context.Background())); got != tt.want {
			t.Errorf("status %s, --fail-on %s: exit %d, want %d", tt.status, tt.failOn, got, tt.want)
		}
	}
}
