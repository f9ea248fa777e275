package tui

import (
	"testing"
)

// TestSummaryLine: the line left in the scrollback names the status, the
// counts, the root causes (grouped by fault) and the first of them; a round
// cut short says how far it got and which round the status is from.
func TestSummaryLine(t *testing.T) {
	m := mixedModel(t, 80, 24)
	want := "updoc: UNHEALTHY — 12 upstreams: 4 unhealthy, 3 degraded, 5 healthy; 3 root causes; first: tcp.refused on users"
	if got := m.summaryLine(false); got != want {
		t.Errorf("after a round:\n got %s\nwant %s", got, want)
	}

	m.startRound()
	sendEvents(m, 12, []string{"edge", "users", "orders"}, 2)
	want = "updoc: quit during round 7 (2/12 upstreams probed); round 6: UNHEALTHY — 12 upstreams: 4 unhealthy, 3 degraded, 5 healthy; 3 root causes; first: tcp.refused on users"
	if got := m.summaryLine(false); got != want {
		t.Errorf("mid-round:\n got %s\nwant %s", got, want)
	}

	m = newTestModel(t, 80, 24)
	m.startRound()
	sendEvents(m, 11, []string{"edge", "users"}, 1)
	want = "updoc: interrupted before the first round finished (1/11 upstreams probed); no status to report"
	if got := m.summaryLine(true); got != want {
		t.Errorf("first round cut:\n got %s\nwant %s", got, want)
	}

	m = newTestModel(t, 120, 24)
	feed(t, m, sharedFaultReport(500))
	want = "updoc: UNHEALTHY — 500 upstreams: 500 unhealthy; 1 root cause; first: tcp.refused on 127.0.0.1:18200 (500 upstreams)"
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
	if got, want := m.summaryLine(false), "updoc: HEALTHY — 3 upstreams: 3 healthy"; got != want {
		t.Errorf("healthy:\n got %s\nwant %s", got, want)
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
	want := "updoc: quit before the first round finished (1/3 upstreams probed); no status to report"
	if got := m.summaryLine(false); got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
}
