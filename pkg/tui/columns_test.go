package tui

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/report"
)

// TestCodeColumnIsWholeAt80Columns: at 80 columns every code of the list is
// shown whole (gateway.no_healthy_upstream was cut to
// "gateway.no_healthy_ups…" while the name column had 16 spare columns).
func TestCodeColumnIsWholeAt80Columns(t *testing.T) {
	m := mixedModel(t, 80, 24)
	v := m.View()
	for i := range m.rep.Upstreams {
		if code := m.data[i].code; code != "" && !strings.Contains(v, " "+code+" ") {
			t.Errorf("code %q not whole in the list:\n%s", code, v)
		}
	}
}

// TestLayoutColsCutsTheCodeOnlyWhenTheNameIsShort: whatever the width, the
// code column is narrower than the longest code only when the name column
// is down to minName (or the names are shorter still), and the columns add
// up to the width.
func TestLayoutColsCutsTheCodeOnlyWhenTheNameIsShort(t *testing.T) {
	for w := 40; w <= 240; w++ {
		for _, nameW := range []int{4, 8, 14, 34, 60} {
			const codeW = 27
			c := layoutCols(w, nameW, codeW)
			if c.code < codeW && c.name > max(minName, 4) {
				t.Errorf("w=%d nameW=%d: code cut to %d while the name has %d columns", w, nameW, c.code, c.name)
			}
			if c.code < codeW && (c.layer || c.p50) {
				t.Errorf("w=%d nameW=%d: code cut to %d while LAYER (%v) or P50 (%v) are shown", w, nameW, c.code, c.layer, c.p50)
			}
			if c.code > codeW {
				t.Errorf("w=%d: code column %d wider than the longest code", w, c.code)
			}
			if !c.layer && w >= 25+min(nameW, minName)+codeW+(10*boolInt(c.wide)) {
				t.Errorf("w=%d nameW=%d: LAYER dropped though everything fits", w, nameW)
			}
			fixed := c.fixed()
			if got := fixed + c.name + c.code + c.spark; w >= fixed+minName+codeW && got != w {
				t.Errorf("w=%d nameW=%d: columns add up to %d", w, nameW, got)
			}
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestCodesStayWholeAt50Columns: in a narrow terminal LAYER and then P50
// give way before a code is cut (http.server_… and dependency.u… were cut
// at 50 columns while both kept their width).
func TestCodesStayWholeAt50Columns(t *testing.T) {
	for _, w := range []int{50, 60} {
		m := mixedModel(t, w, 24)
		v := m.View()
		checkFrame(t, v, w, 24)
		for i := range m.rep.Upstreams {
			if code := m.data[i].code; code != "" && !regexp.MustCompile(`(?m) `+regexp.QuoteMeta(code)+`( |$)`).MatchString(v) {
				t.Errorf("at %d columns code %q is not whole in the list:\n%s", w, code, v)
			}
		}
	}
	// At 80 columns nothing gives way.
	v := mixedModel(t, 80, 24).View()
	if !strings.Contains(v, "LAYER") || !strings.Contains(v, "P50") {
		t.Errorf("at 80 columns LAYER or P50 is gone:\n%s", v)
	}
}

var moreMarker = regexp.MustCompile(`([↑↓]) (\d+) more`)

// TestListMarksRowsScrolledOff: "↓ N more" under the last row shown and
// "↑ N more" above the first, N counting the rows hidden on that side.
func TestListMarksRowsScrolledOff(t *testing.T) {
	m := newTestModel(t, 80, 24)
	feed(t, m, bigReport(300))
	markers := func() (above, below, shown int) {
		t.Helper()
		v := m.View()
		checkFrame(t, v, 80, 24)
		for _, l := range strings.Split(v, "\n") {
			if g := moreMarker.FindStringSubmatch(l); g != nil {
				n, _ := strconv.Atoi(g[2])
				if g[1] == "↑" {
					above = n
				} else {
					below = n
				}
			}
			if strings.Contains(l, "svc-") && !strings.Contains(l, "ROOT CAUSE") {
				shown++
			}
		}
		return above, below, shown
	}
	press(m, "g")
	above, below, shown := markers()
	if above != 0 || below == 0 || above+shown+below != 300 {
		t.Fatalf("top of the list: ↑%d, %d shown, ↓%d (want no ↑ and 300 in all)", above, shown, below)
	}
	for range 40 {
		press(m, "down")
	}
	above, below, shown = markers()
	if above == 0 || below == 0 || above+shown+below != 300 {
		t.Errorf("middle of the list: ↑%d, %d shown, ↓%d", above, shown, below)
	}
	press(m, "G")
	above, below, shown = markers()
	if above == 0 || below != 0 || above+shown+below != 300 {
		t.Errorf("end of the list: ↑%d, %d shown, ↓%d", above, shown, below)
	}
	// A list that fits has no marker.
	m = mixedModel(t, 80, 24)
	if moreMarker.MatchString(m.View()) {
		t.Errorf("markers on a list that fits:\n%s", m.View())
	}
}

// sharedFaultReport is n upstreams behind one refused address: n root
// causes of one fault.
func sharedFaultReport(n int) report.Report {
	r := report.Report{Schema: report.Schema, StartedAt: t0, DurationMS: 120, Status: report.Unhealthy}
	for i := range n {
		name := fmt.Sprintf("svc%03d", i)
		u := report.Upstream{Name: name, URL: "http://127.0.0.1:18200/" + name, Status: report.Unhealthy,
			Layers: report.Layers{DNS: report.Skip, TCP: report.LFail, TLS: report.Skip, HTTP: report.Skip, Latency: report.Skip},
			Findings: []report.Finding{{Code: catalog.TCPRefused, Severity: report.Fail, Layer: "tcp", Target: "127.0.0.1:18200",
				RootCause: true, Message: "127.0.0.1:18200 refused the connection"}}}
		r.Upstreams = append(r.Upstreams, u)
		r.RootCauses = append(r.RootCauses, report.RootCause{Upstream: name, Code: catalog.TCPRefused, Severity: report.Fail,
			Target: "127.0.0.1:18200", Message: "127.0.0.1:18200 refused the connection"})
	}
	r.Summary = report.Summarize(r.Upstreams)
	return r
}

// TestBannerGroupsOneFault: 500 root causes of one fault are one root
// cause in the banner, "+N more root causes" counting faults.
func TestBannerGroupsOneFault(t *testing.T) {
	m := newTestModel(t, 120, 24)
	feed(t, m, sharedFaultReport(500))
	v := m.View()
	if !strings.Contains(v, "tcp.refused on 127.0.0.1:18200 — 500 upstreams (svc000, svc001, … +498)") {
		t.Errorf("no grouped root cause in the banner:\n%s", v)
	}
	if strings.Contains(v, "more root cause") {
		t.Errorf("one fault counted as several root causes:\n%s", v)
	}
	r := mixedReport(1)
	r.RootCauses = append(r.RootCauses, report.RootCause{Upstream: "cache", Code: catalog.TCPRefused, Severity: report.Fail,
		Target: "10.0.0.7:8080", Message: "10.0.0.7:8080 refused the connection"})
	feed(t, m, r)
	if v := m.View(); !strings.Contains(v, "tcp.refused on 10.0.0.7:8080 — 2 upstreams (users, cache)") || !strings.Contains(v, "+2 more root causes") {
		t.Errorf("users and cache behind one address are not one root cause:\n%s", v)
	}
}

// TestBannerShortensNamesBeforeTheCount: when the grouped root cause does
// not fit, the member names give way, never the "+N" count after them.
func TestBannerShortensNamesBeforeTheCount(t *testing.T) {
	whole := regexp.MustCompile(`500 upstreams( \(svc000(, svc001)?, … \+(498|499)\))?( ·|$)`)
	for _, w := range []int{70, 80, 90, 100, 120, 140} {
		m := newTestModel(t, w, 24)
		feed(t, m, sharedFaultReport(500))
		v := m.View()
		checkFrame(t, v, w, 24)
		line := strings.Split(v, "\n")[3]
		if !whole.MatchString(line) {
			t.Errorf("at %d columns the banner cuts the member count: %q", w, line)
		}
	}
	m := newTestModel(t, 140, 24)
	feed(t, m, sharedFaultReport(500))
	if line := strings.Split(m.View(), "\n")[3]; !strings.Contains(line, "(svc000, svc001, … +498) · no upstream depends on it") {
		t.Errorf("at 140 columns the banner drops names it has room for: %q", line)
	}
}
