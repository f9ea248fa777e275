package tui

import (
	"strings"
	"testing"

	"github.com/updoc/updoc/pkg/report"
)

// TestDetailListsFindingsInReportOrder: the detail pane lists findings in
// report.SortedFindings order, as the table and the Markdown do.
func TestDetailListsFindingsInReportOrder(t *testing.T) {
	m := mixedModel(t, 120, 40)
	r := mixedReport(7)
	u := r.Upstream("edge")
	u.Findings = []report.Finding{
		{Code: "dependency.unhealthy", Severity: report.Warn, Layer: "http", Message: "m"},
		{Code: "a.fail", Severity: report.Fail, Layer: "http", Message: "m"},
		{Code: "b.warn_root", Severity: report.Warn, Layer: "http", Message: "m", RootCause: true},
		{Code: "dependency.unhealthy", Severity: report.Fail, Layer: "http", Message: "m"},
		{Code: "c.fail_root", Severity: report.Fail, Layer: "http", Message: "m", RootCause: true},
	}
	feed(t, m, r)
	m.detail = "edge"
	content := strings.Join(m.detailContent(120), "\n")
	var want []string
	for _, k := range m.rep.Upstream("edge").SortedFindings() {
		want = append(want, m.rep.Upstream("edge").Findings[k].Code)
	}
	if strings.Join(want, ",") != "c.fail_root,a.fail,dependency.unhealthy,b.warn_root,dependency.unhealthy" {
		t.Fatalf("report order changed: %v", want)
	}
	at := 0
	for _, code := range want {
		i := strings.Index(content[at:], "▲ "+code)
		if j := strings.Index(content[at:], "✗ "+code); j >= 0 && (i < 0 || j < i) {
			i = j
		}
		if i < 0 {
			t.Fatalf("%s not listed after position %d:\n%s", code, at, content)
		}
		at += i + 1
	}
}
