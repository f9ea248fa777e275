package tui

import (
	"bytes"
	"strings"
	"testing"

	"github.com/updoc/updoc/pkg/report"
)

// TestWaterfallWithoutDNS: an upstream with an IP-literal URL has no dns
// layer, so its waterfall has no dns bar; one with a name keeps it.
func TestWaterfallWithoutDNS(t *testing.T) {
	m := mixedModel(t, 120, 60)
	r := mixedReport(7)
	o := r.Upstream("orders")
	o.URL = "http://10.0.0.11/health"
	o.DNS = nil
	for i := range o.Targets {
		if h := o.Targets[i].HTTP; h != nil {
			h.TimingsMS.DNS = 0
		}
	}
	feed(t, m, r)
	wf := func(u *report.Upstream) string { return strings.Join(m.waterfall(u, 120), "\n") }
	if got := wf(m.rep.Upstream("orders")); strings.Contains(got, "dns") || !strings.Contains(got, "connect") {
		t.Errorf("waterfall of an IP literal:\n%s", got)
	}
	if got := wf(m.rep.Upstream("auth")); !strings.Contains(got, "    dns ") {
		t.Errorf("waterfall of a named upstream lacks dns:\n%s", got)
	}
}

// TestWaterfallMatchesTheTable: the detail pane draws the same phases and
// bars as the table's --waterfall for the same report, targets without an
// HTTP exchange (a refused connection) included.
func TestWaterfallMatchesTheTable(t *testing.T) {
	const w = 120 // both draw 58-column bars at this width
	m := mixedModel(t, w, 40)
	var table bytes.Buffer
	if err := report.WriteTable(&table, m.rep, report.TableOptions{Waterfall: true, Width: w}); err != nil {
		t.Fatal(err)
	}
	tableRows := phaseRows(table.String())
	var paneRows []string
	for i := range m.rep.Upstreams {
		paneRows = append(paneRows, phaseRows(strings.Join(m.waterfall(&m.rep.Upstreams[i], w), "\n"))...)
	}
	if len(paneRows) == 0 || strings.Join(paneRows, "\n") != strings.Join(tableRows, "\n") {
		t.Errorf("the detail panes draw\n%s\nthe table draws\n%s", strings.Join(paneRows, "\n"), strings.Join(tableRows, "\n"))
	}
	users := strings.Join(m.waterfall(m.rep.Upstream("users"), w), "\n")
	if !strings.Contains(users, "connect") {
		t.Errorf("no waterfall for a refused target:\n%s", users)
	}
}

// phaseRows are the waterfall rows of out ("dns  1.2ms  ███"), without
// their indent.
func phaseRows(out string) []string {
	var rows []string
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimSpace(l)
		for _, name := range []string{"dns ", "connect ", "tls ", "ttfb ", "transfer "} {
			if strings.HasPrefix(l, name) && strings.Contains(l, "ms") {
				rows = append(rows, l)
			}
		}
	}
	return rows
}
