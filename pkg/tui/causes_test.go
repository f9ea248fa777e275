package tui

import (
	"strings"
	"testing"
)

// TestNStepsThroughRootCauses: n shows the next root cause in the banner
// and selects its upstream, N the previous one, wrapping around; a filter
// that hides the upstream is cleared; in the detail pane n opens it. The
// key is in the help pane and the footer.
func TestNStepsThroughRootCauses(t *testing.T) {
	m := mixedModel(t, 80, 24)
	banner := func() string { return strings.Split(m.View(), "\n")[3] }
	if b := banner(); !strings.Contains(b, "ROOT CAUSE 1/3") || !strings.Contains(b, "tcp.refused on users") {
		t.Fatalf("first banner: %q", b)
	}
	if v := m.View(); !strings.Contains(v, "n next") {
		t.Errorf("the footer or banner does not show the n key:\n%s", v)
	}
	press(m, "n")
	if b := banner(); !strings.Contains(b, "ROOT CAUSE 2/3") || !strings.Contains(b, "tls.cert_expired on payments") || m.sel != "payments" {
		t.Errorf("after n: banner %q, selected %q", b, m.sel)
	}
	press(m, "n", "n")
	if b := banner(); !strings.Contains(b, "ROOT CAUSE 1/3") || m.sel != "users" {
		t.Errorf("n does not wrap around: banner %q, selected %q", b, m.sel)
	}
	press(m, "N")
	if b := banner(); !strings.Contains(b, "ROOT CAUSE 3/3") || !strings.Contains(b, "dns.nxdomain on inventory") || m.sel != "inventory" {
		t.Errorf("after N: banner %q, selected %q", b, m.sel)
	}

	// A filter that hides the next root cause's upstream is cleared.
	press(m, "/")
	typeText(m, "public")
	press(m, "enter")
	press(m, "n")
	if m.filter != "" || m.sel != "users" || names(m)[m.cursor] != "users" {
		t.Errorf("n under a filter: filter %q, selected %q", m.filter, m.sel)
	}

	// In the detail pane, n opens the next root cause's upstream.
	press(m, "enter", "n")
	if m.view != detailView || m.detail != "payments" || !strings.Contains(m.View(), "tls.cert_expired") {
		t.Errorf("n in the detail pane: view %v detail %q", m.view, m.detail)
	}

	press(m, "esc", "?")
	if v := m.View(); !strings.Contains(v, "n N") || !strings.Contains(v, "next / previous root cause") {
		t.Errorf("the help pane lacks n N:\n%s", v)
	}
}
