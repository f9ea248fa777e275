package tui

import "github.com/charmbracelet/bubbles/key"

// keyMap holds every binding; the help pane and the footer are drawn from it.
type keyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Enter, Back, Reprobe, Filter, Help      key.Binding
	Quit, ForceQuit                         key.Binding
}

var keys = keyMap{
	Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "move up")),
	Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "move down")),
	PageUp:    key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
	PageDown:  key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
	Top:       key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g/home", "first")),
	Bottom:    key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G/end", "last")),
	Enter:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "detail")),
	Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back / clear filter")),
	Reprobe:   key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "re-probe now")),
	Filter:    key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter by name, tag or code")),
	Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "help")),
	Quit:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
	ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
}

// hint is one key shown in the footer.
type hint struct{ key, desc string }

var (
	mainHints = []hint{
		{"↑↓", "move"}, {"enter", "detail"}, {"r", "re-probe"}, {"/", "filter"}, {"?", "help"}, {"q", "quit"},
	}
	detailHints = []hint{
		{"↑↓", "scroll"}, {"esc", "back"}, {"r", "re-probe"}, {"/", "filter"}, {"?", "help"}, {"q", "quit"},
	}
	filterHints = []hint{
		{"enter", "apply"}, {"esc", "clear"},
	}
)

// helpLines are the rows of the help pane: keys, then what it means.
var helpLines = [][2]string{
	{"↑ ↓  k j", "move the cursor (scroll in the detail pane)"},
	{"pgup pgdn", "page up / down"},
	{"g G", "first / last upstream"},
	{"enter", "open the detail pane of the selected upstream"},
	{"esc", "back to the list; clear the filter"},
	{"r", "re-probe now (ignored while a round runs)"},
	{"/", "filter by name, tag or code; enter applies, esc clears"},
	{"?", "toggle this help"},
	{"q  ctrl+c", "quit (cancels a running round)"},
}

// legendLines explain the markers of the list.
var legendLines = [][2]string{
	{"✗ ▲ ✓", "unhealthy, degraded, healthy"},
	{"↓ ↑ •", "worse, better, new since the previous round"},
	{"▁▂▃▅▇", "median p50 per round (last 20), scaled per row"},
}
