package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

func TestFilter(t *testing.T) {
	m := mixedModel(t, 80, 24)
	press(m, "/")
	if !m.filtering {
		t.Fatal("/ does not open the filter")
	}
	typeText(m, "q") // q types, it does not quit
	if m.input.Value() != "q" {
		t.Fatalf("input %q, want q", m.input.Value())
	}
	press(m, "backspace")
	typeText(m, "TCP")
	if got := names(m); strings.Join(got, ",") != "users,orders" {
		t.Errorf("filter tcp (a code) while typing: %v", got)
	}
	press(m, "enter")
	if m.filtering || m.filter != "tcp" {
		t.Errorf("enter: filtering %v filter %q", m.filtering, m.filter)
	}
	if got := names(m); len(got) != 2 {
		t.Errorf("applied filter: %v", got)
	}
	press(m, "esc")
	if m.filter != "" || len(m.rows) != len(m.rep.Upstreams) {
		t.Errorf("esc does not clear: filter %q, %d rows", m.filter, len(m.rows))
	}

	// By tag, then esc while typing clears.
	press(m, "/")
	typeText(m, "storage")
	if got := names(m); strings.Join(got, ",") != "db" {
		t.Errorf("filter by tag: %v", got)
	}
	press(m, "esc")
	if m.filtering || m.filter != "" || len(m.rows) != len(m.rep.Upstreams) {
		t.Errorf("esc while typing: filtering %v filter %q rows %d", m.filtering, m.filter, len(m.rows))
	}

	// By name, no match.
	press(m, "/")
	typeText(m, "nope")
	press(m, "enter")
	if len(m.rows) != 0 || !strings.Contains(m.View(), `no upstream matches "nope"`) {
		t.Errorf("no match not shown:\n%s", m.View())
	}
	press(m, "enter", "down", "up") // nothing to open or move: no panic
	if m.view != mainView {
		t.Error("enter on an empty list opened a detail pane")
	}
}

func TestFilterSurvivesRounds(t *testing.T) {
	m := mixedModel(t, 80, 24)
	press(m, "/")
	typeText(m, "core")
	press(m, "enter", "down")
	feed(t, m, mixedReport(7))
	if m.filter != "core" || strings.Join(names(m), ",") != "users,payments" || m.sel != "payments" {
		t.Errorf("after a round: filter %q rows %v sel %q", m.filter, names(m), m.sel)
	}
}

// TestFilterInputEditing: the filter field edits like a shell line, drops
// control characters and stops at its limit.
func TestFilterInputEditing(t *testing.T) {
	m := mixedModel(t, 80, 24)
	press(m, "/")
	for _, k := range []tea.KeyMsg{
		{Type: tea.KeyRunes, Runes: []rune("hello world")},
		{Type: tea.KeyCtrlW},
		{Type: tea.KeyRunes, Runes: []rune("there")},
		{Type: tea.KeyHome},
		{Type: tea.KeyDelete},
		{Type: tea.KeyRunes, Runes: []rune("H")},
		{Type: tea.KeyEnd},
		{Type: tea.KeyLeft},
		{Type: tea.KeyBackspace},
		{Type: tea.KeySpace, Runes: []rune(" ")}, // as bubbletea sends it
	} {
		m.Update(k)
	}
	if got := m.input.Value(); got != "Hello the e" {
		t.Errorf("value %q", got)
	}
	if m.filter != "hello the e" {
		t.Errorf("filter %q follows the field lower-cased", m.filter)
	}
	m.Update(tea.KeyMsg{Type: tea.KeyCtrlU})
	if m.input.Value() != "e" {
		t.Errorf("ctrl+u left %q", m.input.Value())
	}
	m.input.CharLimit = 3
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("abcdef\x1b")})
	if m.input.Value() != "abe" {
		t.Errorf("limit: %q", m.input.Value())
	}
	m.input.CharLimit = filterLimit
	m.Update(tea.KeyMsg{Type: tea.KeyEnd})
	m.Update(tea.KeyMsg{Type: tea.KeyCtrlU})
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("a\x1b[31mb\tc")})
	if m.input.Value() != "a[31mb c" {
		t.Errorf("control characters kept or tab not a space: %q", m.input.Value())
	}
	// ctrl+v does not read the system clipboard: it does nothing.
	if _, cmd := m.Update(tea.KeyMsg{Type: tea.KeyCtrlV}); cmd != nil || m.input.Value() != "a[31mb c" {
		t.Errorf("ctrl+v: cmd %v value %q", cmd != nil, m.input.Value())
	}
}

// TestFilterFieldView: "/" and the text with a block cursor, or the
// placeholder when the field is empty ("/ name, tag or code", the cursor
// after the "/", as the field always read).
func TestFilterFieldView(t *testing.T) {
	m := mixedModel(t, 80, 24)
	press(m, "/")
	if got := m.input.View(); got != "/ name, tag or code" {
		t.Errorf("empty field = %q", got)
	}
	typeText(m, "tcp")
	if got := m.input.View(); got != "/tcp " {
		t.Errorf("field = %q", got)
	}
	if bar := m.filterBar(); !strings.HasPrefix(bar, " /tcp ") || !strings.Contains(bar, "2 of 12") {
		t.Errorf("filter bar = %q", bar)
	}
}
