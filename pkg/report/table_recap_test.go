package report

import (
	"bytes"
	"strings"
	"testing"
)

// topOfTable is the table's headline and ROOT CAUSES list: its lines up to
// the blank line after the list, without the blank between them.
func topOfTable(t *testing.T, out string) []string {
	t.Helper()
	var top []string
	blanks := 0
	for _, l := range strings.Split(out, "\n") {
		if l == "" {
			if blanks++; blanks == 2 {
				return top
			}
			continue
		}
		top = append(top, l)
	}
	t.Fatalf("no blank line after the root causes:\n%s", out)
	return nil
}

// A table taller than the terminal ends with the headline and the root
// causes again under a rule; one that fits, or one written to a pipe
// (Height 0), does not.
func TestTableRecapWhenTallerThanTheTerminal(t *testing.T) {
	for _, c := range []struct {
		name   string
		report func() *Report
		width  int
	}{
		{"mixed", mixedReport, 100},
		{"500 upstreams at 80 columns", func() *Report { return deadTargetReport(500) }, 80},
	} {
		t.Run(c.name, func(t *testing.T) {
			render := func(height int) string {
				var b bytes.Buffer
				if err := WriteTable(&b, c.report(), TableOptions{Width: c.width, Height: height}); err != nil {
					t.Fatal(err)
				}
				return b.String()
			}
			pipe := render(0)
			tall := strings.Count(pipe, "\n")
			if got := render(tall); got != pipe {
				t.Errorf("a table that fits the terminal (%d rows) changed:\n%s", tall, got)
			}
			if strings.Contains(pipe, recapTitle) {
				t.Errorf("a pipe got a recap:\n%s", pipe)
			}
			out := render(10)
			if !strings.HasPrefix(out, pipe) {
				t.Fatalf("the recap must only add lines at the end:\n%s", out)
			}
			recap := strings.Split(strings.TrimSuffix(strings.TrimPrefix(out, pipe), "\n"), "\n")
			if len(recap) < 3 || recap[0] != "" || !strings.HasPrefix(recap[1], "── "+recapTitle+" ──") {
				t.Fatalf("want a blank line and a rule before the recap, got:\n%s", strings.Join(recap, "\n"))
			}
			want := topOfTable(t, pipe)
			if got := recap[2:]; strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("the recap is not the headline and root causes of the top:\n--- recap ---\n%s\n--- top ---\n%s",
					strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			// So that it fits the last screen of a 24-row terminal.
			if len(recap) > 22 {
				t.Errorf("the recap takes %d lines, want at most 22", len(recap))
			}
		})
	}
}
