package tui

import (
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/updoc/updoc/pkg/report"
)

func TestCursorMovesAndClamps(t *testing.T) {
	m := mixedModel(t, 80, 24)
	press(m, "g")
	if m.cursor != 0 || m.sel != "users" {
		t.Fatalf("g: cursor %d sel %q, want 0 users", m.cursor, m.sel)
	}
	press(m, "down", "j")
	if m.cursor != 2 || m.sel != "inventory" {
		t.Errorf("after down j: cursor %d sel %q, want 2 inventory", m.cursor, m.sel)
	}
	press(m, "k")
	if m.sel != "payments" {
		t.Errorf("after k: sel %q, want payments", m.sel)
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

// TestRowsInTheTablesOrder: like the table, root-cause upstreams first,
// then unhealthy, unknown, degraded, healthy, in file order within each
// (checkout, a symptom, was listed before payments, its root cause).
func TestRowsInTheTablesOrder(t *testing.T) {
	m := mixedModel(t, 80, 24)
	want := []string{"users", "payments", "inventory", "edge", "orders", "search", "legacy-api",
		"db", "auth", "cache", "ledger-reporting-service-eu-west-1", "billing"}
	if got := names(m); !slices.Equal(got, want) {
		t.Errorf("rows\n  %v\nwant\n  %v", got, want)
	}
	var table []string
	for _, u := range m.rep.WorstFirst() {
		table = append(table, u.Name)
	}
	if !slices.Equal(names(m), table) {
		t.Errorf("rows %v, the table's order %v", names(m), table)
	}
	// A filter keeps the order.
	press(m, "/")
	typeText(m, "e")
	got := names(m)
	var kept []string
	for _, n := range want {
		if slices.Contains(got, n) {
			kept = append(kept, n)
		}
	}
	if len(got) < 2 || len(got) == len(want) || !slices.Equal(got, kept) {
		t.Errorf("filtered rows %v, want a part of %v in its order", got, want)
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
