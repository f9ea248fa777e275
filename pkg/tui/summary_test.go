package tui

import (
	"testing"

	"github.com/updoc/updoc/internal/textfmt"
)

// TestSummaryLine: the line left in the scrollback names the status, the
// counts (in the headline's order), the root causes (grouped by fault) and
// the first of them; a round cut short says how far it got and which round
// the status is from.
func TestSummaryLine(t *testing.T) {
	m := mixedModel(t, 200, 24)
	want := "updoc: UNHEALTHY — 12 upstreams: 5 healthy, 3 degraded, 4 unhealthy; 3 root causes; first: tcp.refused on users"
	if got := m.summaryLine(false); got != want {
		t.Errorf("after a round:\n got %s\nwant %s", got, want)
	}

	m.startRound()
	sendEvents(m, 12, []string{"edge", "users", "orders"}, 2)
	want = "updoc: quit during round 7 (2/12 upstreams probed); round 6: UNHEALTHY — 12 upstreams: 5 healthy, 3 degraded, 4 unhealthy; 3 root causes; first: tcp.refused on users"
	if got := m.summaryLine(false); got != want {
		t.Errorf("mid-round:\n got %s\nwant %s", got, want)
	}

	m = newTestModel(t, 200, 24)
	m.startRound()
	sendEvents(m, 11, []string{"edge", "users"}, 1)
	want = "updoc: interrupted during round 1 (1/11 upstreams probed); no round finished"
	if got := m.summaryLine(true); got != want {
		t.Errorf("first round cut:\n got %s\nwant %s", got, want)
	}

	m = newTestModel(t, 200, 24)
	feed(t, m, sharedFaultReport(500))
	want = "updoc: UNHEALTHY — 500 upstreams: 0 healthy, 0 degraded, 500 unhealthy; 1 root cause; first: tcp.refused on 127.0.0.1:18200 (500 upstreams)"
	if got := m.summaryLine(false); got != want {
		t.Errorf("one fault behind 500 upstreams:\n got %s\nwant %s", got, want)
	}

	healthy := bigReport(3)
	healthy.RootCauses = nil
	for i := range healthy.Upstreams {
		healthy.Upstreams[i].Status = "healthy"
		healthy.Upstreams[i].Findings = nil
	}
	healthy.Status = "healthy"
	feed(t, m, healthy)
	if got, want := m.summaryLine(false), "updoc: HEALTHY — 3 upstreams: 3 healthy, 0 degraded, 0 unhealthy"; got != want {
		t.Errorf("healthy:\n got %s\nwant %s", got, want)
	}
}

// TestSummaryLineFitsTheTerminal: the summary line is never wider than the
// terminal (it wrapped mid-word at 80 columns): "first: …" goes first, then
// the counts, then all but the status.
func TestSummaryLineFitsTheTerminal(t *testing.T) {
	for _, c := range []struct {
		w    int
		want string
	}{
		{120, "updoc: UNHEALTHY — 12 upstreams: 5 healthy, 3 degraded, 4 unhealthy; 3 root causes; first: tcp.refused on users"},
		{100, "updoc: UNHEALTHY — 12 upstreams: 5 healthy, 3 degraded, 4 unhealthy; 3 root causes"},
		{80, "updoc: UNHEALTHY — 12 upstreams; 3 root causes"},
	} {
		m := mixedModel(t, c.w, 24)
		if got := m.summaryLine(false); got != c.want {
			t.Errorf("at %d columns:\n got %s\nwant %s", c.w, got, c.want)
		}
	}
	m := mixedModel(t, 80, 24)
	m.startRound()
	sendEvents(m, 12, []string{"edge", "users", "orders"}, 2)
	if got, want := m.summaryLine(false), "updoc: quit during round 7 (2/12 upstreams probed); round 6: UNHEALTHY"; got != want {
		t.Errorf("mid-round at 80 columns:\n got %s\nwant %s", got, want)
	}
	for _, w := range []int{20, 40, 60} {
		m := mixedModel(t, w, 24)
		m.startRound()
		if got := m.summaryLine(true); textfmt.Width(got) > w {
			t.Errorf("at %d columns the line is %d wide: %q", w, textfmt.Width(got), got)
		}
	}
}

// TestQuitMidRoundStaysCut: the cancelled round's done message can reach
// the model after q and before the program ends; the round still counts as
// cut short (check --tui exits 130 on it).
func TestQuitMidRoundStaysCut(t *testing.T) {
	m := newTestModel(t, 80, 24)
	m.startRound()
	sendEvents(m, 3, []string{"edge"}, 1)
	press(m, "q")
	m.Update(roundDoneMsg{id: m.seq, cancelled: true})
	if !m.roundCut() {
		t.Fatal("a round cancelled by q is not cut short")
	}
	want := "updoc: quit during round 1 (1/3 upstreams probed); no round finished"
	if got := m.summaryLine(false); got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
}
