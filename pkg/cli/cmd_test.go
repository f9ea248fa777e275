package cli

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/updoc/updoc/pkg/catalog"
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
		{[]string{"probe"}, "requires at least 1 arg"},
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
	addr := hungServer(t) // any listening port: tcp:// upstreams only connect
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
	addr := hungServer(t)
	r := run(t, context.Background(), nil, fmt.Sprintf("version: 1\nupstreams:\n  db: {url: \"tcp://%s\"}\n", addr), "check", "-f", "-", "-o", "json", "--samples", "0")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	rep := decodeReport(t, r.stdout)
	if len(rep.Upstreams) != 1 || rep.Upstreams[0].Name != "db" {
		t.Fatalf("report: %+v", rep.Upstreams)
	}
}
