package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

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

func TestEnterOpensDetailAndEscGoesBack(t *testing.T) {
	m := mixedModel(t, 120, 40)
	selectName(t, m, "users")
	press(m, "enter")
	if m.view != detailView || m.detail != "users" {
		t.Fatalf("enter: view %v detail %q", m.view, m.detail)
	}
	v := m.View()
	for _, want := range []string{"tcp.refused", "10.0.0.7:8080 refused the connection", "1. Check that users is running", "LAYERS", "TARGETS"} {
		if !strings.Contains(v, want) {
			t.Errorf("detail lacks %q:\n%s", want, v)
		}
	}
	// j/k scroll the viewport, not the list.
	press(m, "j")
	if m.sel != "users" {
		t.Errorf("j in detail moved the list to %s", m.sel)
	}
	press(m, "esc")
	if m.view != mainView || m.sel != "users" {
		t.Errorf("esc: view %v sel %q", m.view, m.sel)
	}
}

func TestDetailScrolls(t *testing.T) {
	m := mixedModel(t, 80, 24)
	selectName(t, m, "edge")
	press(m, "enter")
	if !m.vp.AtTop() {
		t.Fatal("detail does not open at the top")
	}
	press(m, "down", "down", "down")
	if m.vp.YOffset != 3 {
		t.Errorf("YOffset %d after three downs, want 3", m.vp.YOffset)
	}
	press(m, "G", "pgdown", "pgdown", "pgdown", "pgdown")
	if !m.vp.AtBottom() {
		t.Errorf("not at the bottom after paging down")
	}
	if !strings.Contains(m.View(), "days left") {
		t.Errorf("bottom of the detail lacks the certificate:\n%s", m.View())
	}
}

func TestDetailFollowsNewReports(t *testing.T) {
	m := mixedModel(t, 120, 40)
	selectName(t, m, "search")
	press(m, "enter")
	if !strings.Contains(m.View(), "latency.slow") {
		t.Fatalf("detail of search lacks latency.slow:\n%s", m.View())
	}
	r := mixedReport(7)
	r.Upstream("search").Findings[0].Message = "p90 999ms is above max_latency 300ms"
	feed(t, m, r)
	if m.view != detailView || !strings.Contains(m.View(), "p90 999ms") {
		t.Errorf("detail not refreshed by the new report:\n%s", m.View())
	}
	// The upstream leaves the graph.
	r = mixedReport(7)
	r.Upstreams = r.Upstreams[:3]
	feed(t, m, r)
	if !strings.Contains(m.View(), "search is not in the latest report") {
		t.Errorf("missing upstream not explained:\n%s", m.View())
	}
}

// The certificate's days left are coloured by the diagnosis, not by a
// threshold of the TUI's own: the upstream's cert_min_days decided whether
// there is a tls.cert_expiring finding.
func TestCertDaysColouredByTheDiagnosis(t *testing.T) {
	m := newModel(context.Background(), noRound, Options{Color: true, Title: "x"}, &strings.Builder{}, fixedClock)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	cert := &report.Cert{Subject: "CN=api", Issuer: "CN=ca", DaysLeft: 10, NotBefore: t0.Add(-24 * time.Hour), NotAfter: t0.Add(10 * 24 * time.Hour)}
	up := report.Upstream{Name: "api", Status: report.Healthy, Targets: []report.Target{
		{Address: "10.0.0.1:443", Status: report.Healthy, TLS: &report.TLS{Status: report.Pass, Version: "TLS 1.3", Cert: cert}},
	}}
	days := daysLeft(cert.DaysLeft)
	if got := strings.Join(m.certs(&up, 120), "\n"); !strings.Contains(got, m.st.healthy.Render(days)) {
		t.Errorf("10 days left and no cert_expiring finding: want the healthy style\n%q", got)
	}
	up.Findings = []report.Finding{{Code: "tls.cert_expiring", Severity: report.Warn, Target: "10.0.0.1:443"}}
	if got := strings.Join(m.certs(&up, 120), "\n"); !strings.Contains(got, m.st.degraded.Render(days)) {
		t.Errorf("with a cert_expiring finding: want the degraded style\n%q", got)
	}
}
