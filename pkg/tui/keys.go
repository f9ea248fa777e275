package tui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
)

// keyMap holds every binding the model matches. A binding's help is its row
// in the help pane; the footers show shorter hints of the same keys
// (mainHints, …). It is the help.KeyMap of the help pane.
type keyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Left, Right                             key.Binding
	Enter, Back, Reprobe, Filter, Help      key.Binding
	NextCause, PrevCause                    key.Binding
	Quit, ForceQuit                         key.Binding
}

var keys = keyMap{
	Up:        key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑ k", "move up")),
	Down:      key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓ j", "move down")),
	PageUp:    key.NewBinding(key.WithKeys("pgup", "ctrl+b"), key.WithHelp("pgup", "page up")),
	PageDown:  key.NewBinding(key.WithKeys("pgdown", "ctrl+f"), key.WithHelp("pgdn", "page down")),
	Left:      key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("← h", "scroll the detail pane left")),
	Right:     key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→ l", "scroll the detail pane right")),
	Top:       key.NewBinding(key.WithKeys("home", "g"), key.WithHelp("g", "first upstream")),
	Bottom:    key.NewBinding(key.WithKeys("end", "G"), key.WithHelp("G", "last upstream")),
	Enter:     key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "open the detail pane of the selected upstream")),
	Back:      key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back to the list; clear the filter")),
	NextCause: key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "next root cause")),
	PrevCause: key.NewBinding(key.WithKeys("N"), key.WithHelp("N", "previous root cause")),
	Reprobe:   key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "re-probe now (ignored while a round runs)")),
	Filter:    key.NewBinding(key.WithKeys("/"), key.WithHelp("/", "filter by name, tag or code; enter applies, esc clears")),
	Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "toggle this help")),
	Quit:      key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit (cancels a running round)")),
	ForceQuit: key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit (cancels a running round)")),
}

// ShortHelp is the main view's footer.
func (k keyMap) ShortHelp() []key.Binding { return mainHints }

// FullHelp is the help pane, one column: a row per action; the two
// directions of a move share a row, and so do q and ctrl+c.
func (k keyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{
		hint("↑ ↓  k j", "move the cursor (scroll in the detail pane)", k.Up, k.Down),
		hint("← →  h l", "scroll the detail pane sideways (lines ending in →)", k.Left, k.Right),
		hint("pgup pgdn", "page up / down", k.PageUp, k.PageDown),
		hint("g G", "first / last upstream", k.Top, k.Bottom),
		k.Enter, k.Back,
		hint("n N", "next / previous root cause (its upstream, or its detail)", k.NextCause, k.PrevCause),
		k.Reprobe, k.Filter, k.Help,
		hint("q  ctrl+c", k.Quit.Help().Desc, k.Quit, k.ForceQuit),
	}}
}

// hint is one entry of a help view for the keys of bs: label and desc are
// what it shows.
func hint(label, desc string, bs ...key.Binding) key.Binding {
	var ks []string
	for _, b := range bs {
		if b.Enabled() {
			ks = append(ks, b.Keys()...)
		}
	}
	if len(ks) == 0 {
		return key.NewBinding(key.WithDisabled())
	}
	return key.NewBinding(key.WithKeys(ks...), key.WithHelp(label, desc))
}

// The footers' hints, per view.
var (
	mainHints = []key.Binding{
		hint("↑↓", "move", keys.Up, keys.Down), hint("enter", "detail", keys.Enter), hint("n", "cause", keys.NextCause),
		hint("r", "re-probe", keys.Reprobe), hint("/", "filter", keys.Filter), hint("?", "help", keys.Help), hint("q", "quit", keys.Quit),
	}
	detailHints = []key.Binding{
		hint("↑↓", "scroll", keys.Up, keys.Down), hint("esc", "back", keys.Back), hint("n", "cause", keys.NextCause),
		hint("r", "re-probe", keys.Reprobe), hint("/", "filter", keys.Filter), hint("?", "help", keys.Help), hint("q", "quit", keys.Quit),
	}
	// wideDetailHints when a line of the detail pane is wider than it.
	wideDetailHints = []key.Binding{
		hint("↑↓", "scroll", keys.Up, keys.Down), hint("←→", "wide lines", keys.Left, keys.Right), hint("esc", "back", keys.Back),
		hint("n", "cause", keys.NextCause), hint("?", "help", keys.Help), hint("q", "quit", keys.Quit),
	}
	// typingHints while the filter has the focus, filterHints once applied.
	typingHints = []key.Binding{hint("enter", "apply", keys.Enter), hint("esc", "clear", keys.Back)}
	filterHints = []key.Binding{hint("/", "edit", keys.Filter), hint("esc", "clear", keys.Back)}
)

// helpKeyWidth is the width of the keys column of the help pane.
const helpKeyWidth = 11

// newHelp renders the help pane (FullHelpView of keys.FullHelp: the keys
// in a column helpKeyWidth wide, then what they do) and the footers
// (ShortHelpView: "enter detail  r re-probe …"), with the styles of st.
func newHelp(st *styles) help.Model {
	h := help.New()
	h.ShortSeparator = "  "
	h.Styles = help.Styles{
		Ellipsis:       st.dim,
		ShortKey:       st.key,
		ShortDesc:      st.dim,
		ShortSeparator: st.plain,
		FullKey:        st.key.Width(helpKeyWidth),
		FullDesc:       st.plain,
		FullSeparator:  st.plain,
	}
	return h
}

// legendLines explain the markers of the list: marker, then meaning.
var legendLines = [][2]string{
	{"✗ ? ▲ ✓", "unhealthy, unknown (probe cut short), degraded, healthy"},
	{"↓ ↑ •", "worse, better, new since the previous round"},
	{"▁▂▃▅▇", "median p50 per round (last 20), scaled per row"},
}
