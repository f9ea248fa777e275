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
