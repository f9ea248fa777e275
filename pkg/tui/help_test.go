package tui

import (
	"reflect"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
)

func TestHelpToggles(t *testing.T) {
	m := mixedModel(t, 80, 24)
	press(m, "?")
	if !m.showHelp || !strings.Contains(m.View(), "KEYS") {
		t.Fatal("? does not show the help")
	}
	press(m, "?")
	if m.showHelp {
		t.Fatal("? does not hide the help")
	}
	press(m, "?", "esc")
	if m.showHelp {
		t.Fatal("esc does not hide the help")
	}
}

// TestHelpPaneCoversEveryBinding: the help pane is drawn from the key
// bindings, and every key the model matches is on one of its rows.
func TestHelpPaneCoversEveryBinding(t *testing.T) {
	onPane := map[string]bool{}
	for _, column := range keys.FullHelp() {
		for _, b := range column {
			if !b.Enabled() || b.Help().Key == "" || b.Help().Desc == "" {
				t.Errorf("help row %+v is disabled or has no text", b.Help())
			}
			for _, k := range b.Keys() {
				onPane[k] = true
			}
		}
	}
	v := reflect.ValueOf(keys)
	for i := range v.NumField() {
		b := v.Field(i).Interface().(key.Binding)
		for _, k := range b.Keys() {
			if !onPane[k] {
				t.Errorf("%s: key %q is not in the help pane", v.Type().Field(i).Name, k)
			}
		}
	}
	m := mixedModel(t, 80, 24)
	press(m, "?")
	if v := m.View(); !strings.Contains(v, "    q  ctrl+c   quit (cancels a running round)") {
		t.Errorf("help pane:\n%s", v)
	}
}

// In a narrow terminal only the help rows that do not fit are cut: a row
// that fits ends with its own text, never with "…".
func TestHelpPaneInANarrowTerminal(t *testing.T) {
	for _, w := range []int{50, 60, 69} {
		m := mixedModel(t, w, 30)
		press(m, "?")
		for _, l := range strings.Split(m.View(), "\n") {
			if !strings.HasSuffix(l, "…") {
				continue
			}
			if full := strings.TrimSuffix(l, "…"); strings.Contains(full, "page up / down") || strings.Contains(full, "clear the filt") {
				t.Errorf("width %d: a row that fits is cut: %q", w, l)
			}
		}
		if v := m.View(); !strings.Contains(v, "page up / down") {
			t.Errorf("width %d: the page keys' row is missing:\n%s", w, v)
		}
	}
}
