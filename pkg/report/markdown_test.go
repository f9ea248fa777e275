package report

import (
	"bytes"
	"strings"
	"testing"
)

func TestMarkdownEscaping(t *testing.T) {
	r := mixedReport()
	r.Upstreams[2].Findings[0].Message = "a|b <script> *x*"
	var b bytes.Buffer
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, `a\|b &lt;script&gt; \*x\*`) {
		t.Errorf("cell not escaped:\n%s", out)
	}
	// Every table row has the same number of unescaped pipes as its header.
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "| Upstream") {
			if n := strings.Count(strings.ReplaceAll(l, `\|`, ""), "|"); n != 6 {
				t.Errorf("header has %d pipes", n)
			}
		}
		if strings.HasPrefix(l, "| users") {
			if n := strings.Count(strings.ReplaceAll(l, `\|`, ""), "|"); n != 6 {
				t.Errorf("row %q has %d cell separators, want 6", l, n)
			}
		}
	}
}

// The Markdown is grouped as the table is: 500 upstreams behind one dead
// address are one root-cause row, one upstream row ("svc000 +499") and one
// collapsed section, not 500 of each.
func TestMarkdownGroupsLikeTheTable(t *testing.T) {
	var b bytes.Buffer
	if err := WriteMarkdown(&b, deadTargetReport(500)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if n := strings.Count(out, "\n"); n > 60 || len(out) > 8000 {
		t.Errorf("%d lines, %d bytes for one fault; want at most 60 lines and 8,000 bytes:\n%s", n, len(out), out)
	}
	for _, want := range []string{
		"| ❌ | `tcp.refused` | `127.0.0.1:18200` | 500 upstreams (svc000, svc001, … +498) |",
		"| svc000 +499 | ❌ unhealthy | tcp | `tcp.refused` | 127.0.0.1:18200 refused the connection |",
		"✅ 2 upstreams healthy: web, db\n",
		"<details><summary>Evidence: 1 finding of svc000 (1 of 500 upstreams)</summary>",
		"All 500 upstreams: svc000, svc001, ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "<details>"); n != 1 {
		t.Errorf("%d <details> sections, want one per root-cause group (1)", n)
	}
	if strings.Contains(out, "| svc001 |") || strings.Contains(out, "| web |") {
		t.Errorf("a folded member or a healthy upstream has a row of its own:\n%s", out)
	}
}

// Markdown names each dependency the run left out, as the table does.
func TestMarkdownNamesWhatWasNotProbed(t *testing.T) {
	r := mixedReport()
	r.NotProbed = []NotProbed{{Upstream: "api_v2", NeededBy: []string{"edge", "gateway"}}}
	var b bytes.Buffer
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	if want := "- edge, gateway depend on api\\_v2 — not probed; add `--with-deps`\n"; !strings.Contains(b.String(), want) {
		t.Errorf("missing %q:\n%s", want, b.String())
	}
}

// Evidence in the collapsed sections is outside any table: its code span
// shows "|" as it is, not "\|" (a backslash is literal in a code span);
// table cells still escape it (QA B13).
func TestMarkdownEvidenceOutsideTablesIsNotEscaped(t *testing.T) {
	r := mixedReport()
	for i := range r.Upstreams {
		for j := range r.Upstreams[i].Findings {
			r.Upstreams[i].Findings[j].Evidence = map[string]any{"body": "a|b"}
		}
	}
	var b bytes.Buffer
	if err := WriteMarkdown(&b, r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.Contains(out, "  - evidence: `body=a|b`") && !strings.Contains(out, "  - evidence: `body=\"a|b\"`") {
		t.Errorf("no evidence line with a|b as it is:\n%s", out)
	}
	for _, l := range strings.Split(out, "\n") {
		if !strings.HasPrefix(l, "|") && strings.Contains(l, `\|`) {
			t.Errorf("line outside a table escapes |: %q", l)
		}
	}
}
