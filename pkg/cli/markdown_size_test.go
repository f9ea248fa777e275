package cli

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

// githubCommentLimit is the most characters a GitHub comment may hold.
const githubCommentLimit = 65536

// The demo's Markdown fits one GitHub comment, and 500 upstreams behind
// one dead address are a short one.
func TestMarkdownFitsAGitHubComment(t *testing.T) {
	r := run(t, context.Background(), nil, "", "demo", "-o", "markdown")
	if r.code != ExitUnhealthy {
		t.Fatalf("demo -o markdown: exit %d, want 1: %s", r.code, r.stderr)
	}
	if n := utf8.RuneCountInString(r.stdout); n >= githubCommentLimit {
		t.Errorf("the demo's Markdown is %d characters, want under %d", n, githubCommentLimit)
	}
	if !strings.Contains(r.stdout, "healthy: ") || strings.Contains(r.stdout, "| web |") {
		t.Errorf("the demo's healthy upstreams are not collapsed to one line")
	}

	file := writeFile(t, "dead.yaml", deadTargetGraph(500))
	r = run(t, context.Background(), nil, "", "check", "-f", file, "-o", "markdown")
	if n := strings.Count(r.stdout, "\n"); n > 60 || strings.Count(r.stdout, "<details>") != 1 {
		t.Errorf("500 upstreams behind one dead address: %d lines and %d <details>, want at most 60 and 1:\n%s",
			n, strings.Count(r.stdout, "<details>"), r.stdout)
	}
}
