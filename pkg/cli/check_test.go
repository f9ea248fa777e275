package cli

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/updoc/updoc/internal/testserver"

	"github.com/updoc/updoc/pkg/iostreams"
)

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
