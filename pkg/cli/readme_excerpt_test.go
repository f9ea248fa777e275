package cli

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readmeExcerptCommand is the command whose output README.md shows.
const readmeExcerptCommand = "$ updoc demo --only checkout,payments,expired"

// readmeExcerpt is the fenced block of README.md that starts with
// readmeExcerptCommand, without the command line.
func readmeExcerpt(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "```text\n"+readmeExcerptCommand+"\n")
	if !ok {
		t.Fatalf("README.md has no ```text block starting %q", readmeExcerptCommand)
	}
	block, _, ok := strings.Cut(rest, "```\n")
	if !ok {
		t.Fatal("README.md: the excerpt's block is not closed")
	}
	return strings.Split(strings.TrimSuffix(block, "\n"), "\n")
}

// The README's excerpt has the shape the table has today: the same
// section headings and table header as the command prints now at 100
// columns, and no line cut with "…" (a command is never cut). When this
// fails, paste the output of
//
//	COLUMNS=100 updoc demo --only checkout,payments,expired --color never
//
// into README.md.
func TestReadmeExcerptIsCurrent(t *testing.T) {
	excerpt := readmeExcerpt(t)
	r := run(t, context.Background(), map[string]string{"COLUMNS": "100"}, "", "demo", "--only", "checkout,payments,expired")
	if r.code != ExitUnhealthy {
		t.Fatalf("demo: exit %d, want 1: %s", r.code, r.stderr)
	}
	live := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if got, want := headings(excerpt), headings(live); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("README's excerpt has the headings\n%s\nthe demo prints\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, l := range excerpt {
		if strings.HasSuffix(l, "…") {
			t.Errorf("README's excerpt has a line cut with \"…\": %q", l)
		}
	}
}

// headings are the lines that shape the table: the section titles and the
// upstream table's header.
func headings(lines []string) []string {
	var out []string
	for _, l := range lines {
		if strings.HasPrefix(l, "ROOT CAUSES") || l == "NEXT STEPS" || strings.HasPrefix(l, " UPSTREAM ") {
			out = append(out, l)
		}
	}
	return out
}
