package tui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// TestKeysThatArriveTogether: one read of "jjj" (tmux send-keys j j j, a
// fast typist, key repeat) is one KeyMsg with three runes; outside the
// filter it is three keys.
func TestKeysThatArriveTogether(t *testing.T) {
	runes := func(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }
	m := mixedModel(t, 80, 24)
	press(m, "g")
	m.Update(runes("jjj"))
	if m.cursor != 3 || m.sel != "edge" {
		t.Errorf(`"jjj": cursor %d sel %q, want 3 edge`, m.cursor, m.sel)
	}
	m.Update(runes("kk"))
	if m.cursor != 1 {
		t.Errorf(`"kk": cursor %d, want 1`, m.cursor)
	}
	_, cmd := m.Update(runes("jq"))
	if m.cursor != 2 {
		t.Errorf(`"jq": cursor %d, want 2`, m.cursor)
	}
	if cmd == nil {
		t.Fatal(`"jq": no command`)
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Error(`"jq" did not quit`)
	}

	// Keys after q are dropped; a key that opens the filter makes the rest
	// its text; inside the filter, runes are text.
	m = mixedModel(t, 80, 24)
	press(m, "g")
	m.Update(runes("qj"))
	if m.cursor != 0 {
		t.Errorf(`"qj" moved after quitting: cursor %d`, m.cursor)
	}
	m = mixedModel(t, 80, 24)
	press(m, "g")
	m.Update(runes("j/co"))
	if m.sel != "payments" || !m.filtering || m.input.Value() != "co" { // j: users → payments (tag core)
		t.Errorf(`"j/co": sel %q filtering %v input %q`, m.sel, m.filtering, m.input.Value())
	}
	m.Update(runes("jjk"))
	if m.input.Value() != "cojjk" {
		t.Errorf("runes in the filter: input %q, want cojjk", m.input.Value())
	}

	// A bracketed paste is text, not keys.
	m = mixedModel(t, 80, 24)
	press(m, "g")
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("jjq"), Paste: true})
	if m.cursor != 0 || m.quitting {
		t.Errorf("a paste acted as keys: cursor %d quitting %v", m.cursor, m.quitting)
	}

	// In the detail pane they scroll.
	m = mixedModel(t, 80, 24)
	selectName(t, m, "edge")
	press(m, "enter")
	m.Update(runes("jjj"))
	if m.vp.YOffset != 3 {
		t.Errorf(`"jjj" in the detail pane: YOffset %d, want 3`, m.vp.YOffset)
	}
}
