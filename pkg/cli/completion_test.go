package cli

import (
	"context"
	"os"
	"strings"
	"testing"
)

// complete runs cobra's __complete for args and returns the values offered.
func complete(t *testing.T, args ...string) []string {
	t.Helper()
	r := run(t, context.Background(), nil, "", append([]string{"__complete"}, args...)...)
	if r.code != 0 {
		t.Fatalf("__complete %v: exit %d: %s", args, r.code, r.stderr)
	}
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
		if !strings.HasPrefix(line, ":") && line != "" {
			out = append(out, line)
		}
	}
	return out
}

// --only and --tags complete from the graph file -f names, or the default
// one; an unset ${VAR} elsewhere in the file does not stop them.
func TestCompleteOnlyAndTagsFromTheGraph(t *testing.T) {
	file := writeFile(t, "g.yaml", `version: 1
defaults: {tags: [prod]}
upstreams:
  frontend: {url: "http://f", depends_on: [api], tags: [edge, prod]}
  api: {url: "${API_URL}"}
  db: {url: "tcp://db:5432", tags: [storage]}
`)
	if got, want := strings.Join(complete(t, "check", "-f", file, "--only", ""), " "), "frontend api db"; got != want {
		t.Errorf("--only: %q, want %q", got, want)
	}
	if got, want := strings.Join(complete(t, "watch", "--file", file, "--only", "frontend,"), " "), "frontend,api frontend,db"; got != want {
		t.Errorf("--only frontend,: %q, want %q", got, want)
	}
	if got, want := strings.Join(complete(t, "graph", "-f", file, "--tags", ""), " "), "prod edge storage"; got != want {
		t.Errorf("--tags: %q, want %q", got, want)
	}
	// The default file of the working directory.
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/updoc.yml", []byte("version: 1\nupstreams:\n  only-one: {url: http://x}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	if got := strings.Join(complete(t, "check", "--only", ""), " "); got != "only-one" {
		t.Errorf("--only with the default file: %q", got)
	}
}

// A shell cobra has no script for is exit 2 with the supported ones.
func TestCompletionUnsupportedShell(t *testing.T) {
	r := run(t, context.Background(), nil, "", "completion", "tcsh")
	if r.code != ExitInvalid || !strings.Contains(r.stderr, `no completion for the shell "tcsh"; the supported shells are bash, fish, powershell, zsh`) {
		t.Errorf("completion tcsh: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := run(t, context.Background(), nil, "", "completion", "bash"); r.code != 0 || !strings.Contains(r.stdout, "bash completion") {
		t.Errorf("completion bash: exit %d, %.80q", r.code, r.stdout)
	}
}
