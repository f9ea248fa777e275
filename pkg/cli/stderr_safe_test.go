package cli

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/updoc/updoc/internal/textsafe"
)

// Errors quote what the user gave (the graph file, flags): a control or
// bidi character in it is shown visibly on stderr, never sent raw to the
// terminal (issue 12, failure 1).
func TestErrorsReachStderrSafe(t *testing.T) {
	tests := []struct {
		name string
		file string
		args []string
	}{
		{name: "graph value", file: "version: 1\nupstreams:\n  a: {url: \"http://127.0.0.1:1/\", method: \"G\\e]0;pwned\\aET\"}\n"},
		{name: "graph key", file: "version: 1\nupstreams:\n  a: {url: \"http://127.0.0.1:1/\", \"x\\u202e\\e[2J\": 1}\n"},
		{name: "C1 and invalid UTF-8 in a url", file: "version: 1\nupstreams:\n  a: {url: \"http://\\x9b2J\\u0085host/\"}\n"},
		{name: "flag", args: []string{"probe", "http://127.0.0.1:1/", "-X", "G\x1b[2JET\u202e"}},
		{name: "unknown flag", args: []string{"check", "--\x1b]0;pwned\a"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			if tc.file != "" {
				args = []string{"validate", "-f", writeFile(t, "g.yaml", tc.file)}
			}
			res := run(t, context.Background(), nil, "", args...)
			if res.code != ExitInvalid {
				t.Fatalf("exit %d, want %d; stderr %q", res.code, ExitInvalid, res.stderr)
			}
			assertTerminalSafe(t, "stderr", res.stderr)
			if !strings.Contains(res.stderr, `\x1b`) && !strings.Contains(res.stderr, `\u`) {
				t.Errorf("stderr does not show what was escaped: %q", res.stderr)
			}
		})
	}
}

// assertTerminalSafe fails when out holds a byte that could act on a
// terminal: a control character other than newline and tab, a C1 or bidi
// control, or invalid UTF-8.
func assertTerminalSafe(t *testing.T, what, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("%s holds invalid UTF-8: %q", what, out)
	}
	for i, r := range out {
		if textsafe.Unsafe(r) {
			t.Errorf("%s holds %U at byte %d: …%q…", what, r, i, out[max(0, i-30):min(len(out), i+30)])
			return
		}
	}
}
