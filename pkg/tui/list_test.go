package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/updoc/updoc/pkg/report"
)

func TestCursorMovesAndClamps(t *testing.T) {
	m := mixedModel(t, 80, 24)
	press(m, "g")
	if m.cursor != 0 || m.sel != "edge" {
		t.Fatalf("g: cursor %d sel %q, want 0 edge", m.cursor, m.sel)
	}
	press(m, "down", "j")
	if m.cursor != 2 || m.sel != "payments" {
		t.Errorf("after down j: cursor %d sel %q, want 2 payments", m.cursor, m.sel)
	}
	press(m, "k")
	if m.sel != "users" {
		t.Errorf("after k: sel %q, want users", m.sel)
	}
	press(m, "up", "up", "up")
	if m.cursor != 0 {
		t.Errorf("up past the top: cursor %d", m.cursor)
	}
	press(m, "G")
	if m.cursor != len(m.rows)-1 || m.sel != "billing" {
		t.Errorf("G: cursor %d sel %q", m.cursor, m.sel)
	}
	press(m, "down")
	if m.cursor != len(m.rows)-1 {
		t.Errorf("down past the end: cursor %d", m.cursor)
	}
	press(m, "g")
	if m.cursor != 0 {
		t.Errorf("g: cursor %d", m.cursor)
	}
}

func TestRowsSortedWorstFirst(t *testing.T) {
	m := mixedModel(t, 80, 24)
	last := 3
	for _, ix := range m.rows {
		r := report.StatusRank(m.rep.Upstreams[ix].Status)
		if r > last {
			t.Fatalf("rows not sorted worst first: %v", m.rows)
		}
		last = r
	}
}

func TestLongListKeepsCursorVisible(t *testing.T) {
	m := newTestModel(t, 100, 24)
	feed(t, m, bigReport(300))
	n := m.pageRows()
	for i := range 150 {
		press(m, "down")
		if start, end, _, _ := m.window(m.offset); m.cursor < start || m.cursor >= end {
			t.Fatalf("step %d: cursor %d outside [%d,%d)", i, m.cursor, start, end)
		}
	}
	if !strings.Contains(m.View(), "▸") || !strings.Contains(m.View(), m.sel) {
		t.Errorf("selected row %s not on screen:\n%s", m.sel, m.View())
	}
	press(m, "pgdown")
	if m.cursor != 150+n {
		t.Errorf("pgdown: cursor %d, want %d", m.cursor, 150+n)
	}
	press(m, "pgup", "pgup")
	if m.cursor != 150-n {
		t.Errorf("pgup twice: cursor %d, want %d", m.cursor, 150-n)
	}
	// Shrinking the window keeps the cursor visible.
	m.Update(tea.WindowSizeMsg{Width: 60, Height: 12})
	if start, end, _, _ := m.window(m.offset); m.cursor < start || m.cursor >= end {
		t.Errorf("after resize: cursor %d outside [%d,%d)", m.cursor, start, end)
	}
}

func TestSelectionFollowsNameAcrossRounds(t *testing.T) {
	m := mixedModel(t, 80, 24)
	selectName(t, m, "cache")
	// cache turns unhealthy again: it moves up, the cursor follows it.
	feed(t, m, mixedReport(1))
	if m.sel != "cache" || m.rep.Upstreams[m.rows[m.cursor]].Name != "cache" {
		t.Errorf("cursor on %q, sel %q", m.rep.Upstreams[m.rows[m.cursor]].Name, m.sel)
	}
}

func TestFirstReportSelectsRootCause(t *testing.T) {
	m := newTestModel(t, 80, 24)
	feed(t, m, mixedReport(1))
	if m.sel != "users" || names(m)[m.cursor] != "users" {
		t.Fatalf("after the first round: cursor on %q (sel %q), want users (the first root cause)", names(m)[m.cursor], m.sel)
	}
	// Later rounds follow the selection, not the root cause.
	press(m, "G")
	want := m.sel
	r := mixedReport(2)
	r.RootCauses = r.RootCauses[1:]
	feed(t, m, r)
	if m.sel != want {
		t.Errorf("second round moved the cursor to %q, want %q", m.sel, want)
	}

	// A root cause that is not in the list, or none: the first row.
	for _, rcs := range [][]report.RootCause{nil, {{Upstream: "not-in-the-list", Code: "tcp.refused"}}} {
		m := newTestModel(t, 80, 24)
		r := mixedReport(1)
		r.RootCauses = rcs
		feed(t, m, r)
		if m.cursor != 0 || m.sel != "edge" {
			t.Errorf("root causes %v: cursor %d sel %q, want 0 edge", rcs, m.cursor, m.sel)
		}
	}
	// The filter typed before the first report hides the root cause.
	m = newTestModel(t, 80, 24)
	press(m, "/")
	typeText(m, "storage")
	press(m, "enter")
	feed(t, m, mixedReport(1))
	if m.sel != "db" || m.cursor != 0 {
		t.Errorf("filtered: cursor %d sel %q, want 0 db", m.cursor, m.sel)
	}
}
