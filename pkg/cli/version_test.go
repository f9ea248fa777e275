package cli

import (
	"context"
	"strings"
	"testing"
)

func TestVersionFlag(t *testing.T) {
	r := run(t, context.Background(), nil, "", "--version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "updoc ") {
		t.Fatalf("--version: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
}

// -v is --verbose where a command has it, never --version.
func TestDashVIsNotVersion(t *testing.T) {
	r := run(t, context.Background(), nil, "", "-v")
	if r.code != ExitInvalid || strings.HasPrefix(r.stdout, "updoc ") || !strings.Contains(r.stderr, "the version is 'updoc --version'") {
		t.Errorf("updoc -v: exit %d, stdout %q, stderr %q; want 2 and a pointer to --version", r.code, r.stdout, r.stderr)
	}
	file := writeFile(t, "updoc.yaml", "version: 1\nupstreams:\n  a: {url: \"tcp://127.0.0.1:1\"}\n")
	if r := run(t, context.Background(), nil, "", "check", "-f", file, "-v", "--samples", "0", "--timeout", "200ms"); strings.HasPrefix(r.stdout, "updoc 0") || r.code == ExitInvalid {
		t.Errorf("check -v: exit %d, stdout %q", r.code, r.stdout)
	}
	root := newRootCmd(testFactory())
	if f := root.Flags().Lookup("version"); f == nil || f.Shorthand != "" {
		t.Errorf("--version flag = %+v; want one without a shorthand", f)
	}
}
