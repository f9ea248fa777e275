package tui

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"mvdan.cc/sh/v3/syntax"

	"github.com/updoc/updoc/internal/textfmt"
	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/engine"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/lab"
	"github.com/updoc/updoc/pkg/report"
)

// TestWrapCommandBreaksBetweenShellWords checks the layout of one command:
// breaks only between words, " \" on every continued line, nothing split.
func TestWrapCommandBreaksBetweenShellWords(t *testing.T) {
	for _, c := range []struct {
		command       string
		firstW, restW int
		want          []string
	}{
		{"dig +short a.example", 40, 40, []string{"dig +short a.example"}},
		{"curl -sS -i http://a.example/x | head -c 2000", 20, 20,
			[]string{"curl -sS -i \\", "http://a.example/x \\", "| head -c 2000"}},
		// A quoted string and a $(…) are one word each, spaces and all.
		{`grep -E '^(HTTP|server via)' $(ls a b) x`, 16, 16,
			[]string{`grep -E \`, `'^(HTTP|server via)' \`, `$(ls a b) x`}},
		// A word wider than the line stays whole, on a line of its own.
		{"curl http://a.very.long.host.example/path/that/does/not/fit -v", 12, 12,
			[]string{`curl \`, `http://a.very.long.host.example/path/that/does/not/fit \`, `-v`}},
		// The last line needs no room for " \".
		{"abc def", 7, 7, []string{"abc def"}},
		{"abc def ghi", 7, 7, []string{`abc \`, `def ghi`}},
		// What the shell parser refuses is never broken.
		{"echo 'unterminated quote here", 10, 10, []string{"echo 'unterminated quote here"}},
	} {
		got := wrapCommand(c.command, c.firstW, c.restW)
		if !slices.Equal(got, c.want) {
			t.Errorf("wrapCommand(%q, %d, %d) =\n  %q\nwant\n  %q", c.command, c.firstW, c.restW, got, c.want)
		}
	}
}

// TestDetailWrapsEveryDemoCommandPastable renders the detail pane of every
// upstream of the demo at 40, 80 and 120 columns: every remediation command
// is a block that, copied off the screen, is the command again — its lines
// joined (indentation and " \" stripped) give it exactly, and a shell parser
// reads the block as the same words; no line is wider than the pane unless
// it is one word that cannot be broken.
func TestDetailWrapsEveryDemoCommandPastable(t *testing.T) {
	rep := demoReport(t)
	commands := 0
	for _, w := range []int{40, 80, 120} {
		m := newTestModel(t, w, 24)
		feed(t, m, rep)
		for i := range rep.Upstreams {
			u := &rep.Upstreams[i]
			m.detail = u.Name
			content := m.detailContent(w)
			for _, f := range u.Findings {
				for _, step := range f.Remediation {
					_, command := catalog.SplitStep(step)
					if command == "" {
						continue
					}
					commands++
					checkCommandBlock(t, content, command, w, fmt.Sprintf("%s %s at %d columns", u.Name, f.Code, w))
				}
			}
		}
	}
	if commands < 30 {
		t.Fatalf("only %d commands in the demo's steps: is the demo report complete?", commands)
	}
}

// TestDetailShowsEveryCommandPastable: the hand-made long steps (a command
// with a pipe and a quoted pattern) wrap into pastable blocks too, and the
// URL and the code in the finding are never split.
func TestDetailShowsEveryCommandPastable(t *testing.T) {
	for _, w := range []int{40, 80, 120} {
		m := stepsModel(t, w, 24)
		content := m.detailContent(w)
		for _, step := range longSteps {
			_, command := catalog.SplitStep(step)
			if command != "" {
				checkCommandBlock(t, content, command, w, fmt.Sprintf("at %d columns", w))
			}
		}
		for _, word := range []string{"gateway.no_healthy_upstream", "https://edge.example.com/a/rather/long/path/that/does/not/fit/in/a/narrow/pane):"} {
			if !hasLineContaining(content, word) {
				t.Errorf("at %d columns %q is split across lines:\n%s", w, word, strings.Join(content, "\n"))
			}
		}
	}
}

// checkCommandBlock finds command's block in the pane's lines and checks
// that it pastes as command.
func checkCommandBlock(t *testing.T, content []string, command string, w int, where string) {
	t.Helper()
	block, ok := commandBlock(content, command)
	if !ok {
		t.Errorf("%s: no block of lines joins to %q:\n%s", where, command, strings.Join(content, "\n"))
		return
	}
	for _, l := range block {
		text := strings.TrimSuffix(strings.TrimLeft(l, " "), lineContinuation)
		if textfmt.Width(l) > w && len(shellChunks(text)) > 1 {
			t.Errorf("%s: line %q is wider than %d columns but holds words it could break between", where, l, w)
		}
	}
	got, err := shellWords(strings.Join(block, "\n"))
	if err != nil {
		t.Errorf("%s: the block does not parse: %v\n%s", where, err, strings.Join(block, "\n"))
		return
	}
	want, err := shellWords(command)
	if err != nil {
		t.Fatalf("%s: the command itself does not parse: %v", where, err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: the block reads as words\n  %q\nthe command as\n  %q\nblock:\n%s", where, got, want, strings.Join(block, "\n"))
	}
}

// commandBlock is the run of lines, each but the last ending in " \", that
// joined (indentation and " \" stripped, single spaces between) is command.
func commandBlock(lines []string, command string) ([]string, bool) {
	for i := range lines {
		joined := ""
		for j := i; j < len(lines); j++ {
			text := strings.TrimLeft(lines[j], " ")
			cont := strings.HasSuffix(text, lineContinuation)
			text = strings.TrimSuffix(text, lineContinuation)
			if j > i {
				joined += " "
			}
			joined += text
			if !strings.HasPrefix(command, joined) {
				break
			}
			if !cont {
				if joined == command {
					return lines[i : j+1], true
				}
				break
			}
		}
	}
	return nil, false
}

// shellWords parses src as one shell statement and lists its words as the
// shell parser reads them, each printed back, in order.
func shellWords(src string) ([]string, error) {
	f, err := syntax.NewParser().Parse(strings.NewReader(src), "")
	if err != nil {
		return nil, err
	}
	if len(f.Stmts) != 1 {
		return nil, fmt.Errorf("%d statements, want 1", len(f.Stmts))
	}
	var words []string
	var buf bytes.Buffer
	printer := syntax.NewPrinter()
	syntax.Walk(f, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.Word:
			buf.Reset()
			if err = printer.Print(&buf, n); err != nil {
				return false
			}
			words = append(words, buf.String())
			return false
		case *syntax.BinaryCmd:
			words = append(words, n.Op.String())
		}
		return true
	})
	return words, err
}

// demoReport runs the demo's lab once (loopback only) and returns its
// report, with the steps `updoc demo` prints.
func demoReport(t *testing.T) report.Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	l, err := lab.Start(ctx)
	if err != nil {
		t.Fatalf("start the lab: %v", err)
	}
	t.Cleanup(func() {
		if err := l.Close(); err != nil {
			t.Errorf("close the lab: %v", err)
		}
	})
	g, err := graph.Load("updoc-lab.yaml", l.Config(), l.Env(func(string) (string, bool) { return "", false }))
	if err != nil {
		t.Fatalf("load the lab's graph: %v", err)
	}
	rep := engine.Run(ctx, g, engine.Options{Rerun: catalog.RerunWith("updoc demo")}, nil)
	if len(rep.Upstreams) == 0 {
		t.Fatal("the demo's report has no upstream")
	}
	return rep
}
