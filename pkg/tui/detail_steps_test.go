package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/updoc/updoc/internal/textfmt"
	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/report"
)

// longSteps are remediation steps as the demo prints them: commands that a
// plain word wrap at 80 columns split ("-" / "v", a URL across two lines).
var longSteps = []string{
	"This is most likely a symptom: checkout depends on payments, which is unhealthy (tcp.refused). Fix payments first: updoc demo --only payments -v",
	"Confirm who answered: curl -sS -i --resolve checkout.lab.updoc.test:41569:127.0.0.1 http://checkout.lab.updoc.test:41569/healthz | grep -i -E '^(HTTP|server|via|x-envoy)'",
	"Renew and deploy the certificate.",
}

// stepsModel is mixedModel with edge's gateway finding carrying longSteps,
// its detail pane open.
func stepsModel(t *testing.T, w, h int) *model {
	t.Helper()
	m := mixedModel(t, w, h)
	r := mixedReport(7)
	u := r.Upstream("edge")
	for i := range u.Findings {
		if u.Findings[i].Code == catalog.GatewayNoHealthyUpstream {
			u.Findings[i].Remediation = longSteps
			u.Findings[i].Message = "503 from Envoy at 203.0.113.10:443 (GET https://edge.example.com/a/rather/long/path/that/does/not/fit/in/a/narrow/pane): no healthy upstream"
		}
	}
	feed(t, m, r)
	selectName(t, m, "edge")
	press(m, "enter")
	return m
}

func hasLineContaining(lines []string, s string) bool {
	for _, l := range lines {
		if strings.Contains(l, s) {
			return true
		}
	}
	return false
}

// TestDetailScrollsSidewaysToAWideWord: a word wider than the pane (a URL
// in a message) ends in "→" on screen; → scrolls until its end shows, ←
// back. Commands never need it: they wrap between words.
func TestDetailScrollsSidewaysToAWideWord(t *testing.T) {
	m := stepsModel(t, 80, 60)
	const tail = "narrow/pane):"
	v := m.View()
	checkFrame(t, v, 80, 60)
	if strings.Contains(v, tail) {
		t.Fatalf("the end of an 86-column URL fits in 80 columns?\n%s", v)
	}
	if !strings.Contains(v, "https://edge.example.com/a/rather") || !strings.Contains(v, "→") || !strings.Contains(v, "←→ wide lines") {
		t.Fatalf("no start of the URL, no → marker or no ←→ hint:\n%s", v)
	}
	for range 10 {
		press(m, "right")
	}
	v = m.View()
	checkFrame(t, v, 80, 60)
	if !strings.Contains(v, tail) {
		t.Errorf("→ never reaches the end of the URL:\n%s", v)
	}
	if !strings.Contains(v, "←") {
		t.Errorf("no ← marker while scrolled right:\n%s", v)
	}
	for range 10 {
		press(m, "h")
	}
	if m.detailX != 0 {
		t.Errorf("← does not come back to column 0: %d", m.detailX)
	}
}

// TestDetailPutsFindingsBeforeLayers: what is wrong and the fix come
// first, the evidence of each layer after.
func TestDetailPutsFindingsBeforeLayers(t *testing.T) {
	m := stepsModel(t, 80, 24)
	content := strings.Join(m.detailContent(80), "\n")
	f, l := strings.Index(content, "FINDINGS"), strings.Index(content, "LAYERS")
	if f < 0 || l < 0 || f > l {
		t.Fatalf("FINDINGS at %d, LAYERS at %d:\n%s", f, l, content)
	}
	// On the first screen at 80×24: the first finding's code and its fix.
	v := m.View()
	for _, want := range []string{"gateway.no_healthy_upstream", "1. This is most likely a symptom", "updoc demo --only payments -v"} {
		if !strings.Contains(v, want) {
			t.Errorf("first screen lacks %q:\n%s", want, v)
		}
	}
}

// TestSidewaysMarksHiddenText checks the cut of one line.
func TestSidewaysMarksHiddenText(t *testing.T) {
	plain := newStyles(nil, false).plain
	for _, c := range []struct {
		line string
		x, w int
		want string
	}{
		{"abcdef", 0, 10, "abcdef"},
		{"abcdefghij", 0, 5, "abcd→"},
		{"abcdefghij", 3, 5, "←efg→"},
		{"abcdefghij", 6, 5, "←hij"},
		{"abc", 6, 5, ""},
	} {
		got := sideways(c.line, c.x, c.w, plain)
		if got != c.want {
			t.Errorf("sideways(%q, %d, %d) = %q, want %q", c.line, c.x, c.w, got, c.want)
		}
		if textfmt.Width(got) > c.w {
			t.Errorf("sideways(%q, %d, %d) is wider than %d", c.line, c.x, c.w, c.w)
		}
	}
}

// An upstream probed through a proxy says so under its name, with where
// the proxy came from — on screen at 80 columns, the line of its
// dependencies, tags and proxy wrapped (found by QA: it ran off the pane).
func TestDetailNamesTheProxy(t *testing.T) {
	m := mixedModel(t, 80, 40)
	r := mixedReport(7)
	u := r.Upstream("edge")
	u.Tags = []string{"prod", "edge", "public"}
	u.Proxy = &report.Proxy{URL: "socks5h://monitoring-user:[redacted]@proxy.corp.example.com:1080", Source: "HTTPS_PROXY"}
	feed(t, m, r)
	selectName(t, m, "edge")
	press(m, "enter")
	content := m.detailContent(80)
	plain := ansi.Strip(strings.Join(content, "\n"))
	if !strings.Contains(strings.Join(strings.Fields(plain), " "), "via proxy socks5h://monitoring-user:[redacted]@proxy.corp.example.com:1080 (from HTTPS_PROXY)") {
		t.Errorf("the detail pane does not name the proxy:\n%s", plain)
	}
	for _, l := range content[:8] {
		if w := ansi.StringWidth(l); w > 80 {
			t.Errorf("a line under the name is %d columns wide at 80:\n%s", w, ansi.Strip(l))
		}
	}
}
