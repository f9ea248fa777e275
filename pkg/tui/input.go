package tui

import (
	"strings"
	"unicode"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
)

// lineInput is a one-line text field for the filter. (bubbles/textinput
// would need github.com/atotto/clipboard, which is not in go.sum.)
// It supports typing and pasting, ←/→, home/end (ctrl+a/ctrl+e),
// backspace/delete, ctrl+u, ctrl+k and ctrl+w.
type lineInput struct {
	prompt      string
	placeholder string
	limit       int
	value       []rune
	pos         int

	promptStyle, textStyle, placeholderStyle, cursorStyle lipgloss.Style
}

func (in *lineInput) Value() string { return string(in.value) }

func (in *lineInput) SetValue(s string) {
	in.value = []rune(s)
	if in.limit > 0 && len(in.value) > in.limit {
		in.value = in.value[:in.limit]
	}
	in.pos = len(in.value)
}

// Update edits the value for one key.
func (in *lineInput) Update(msg tea.KeyMsg) {
	switch msg.Type {
	case tea.KeyRunes, tea.KeySpace:
		r := msg.Runes
		if msg.Type == tea.KeySpace {
			r = []rune{' '}
		}
		in.insert(r)
	case tea.KeyBackspace:
		if in.pos > 0 {
			in.value = append(in.value[:in.pos-1], in.value[in.pos:]...)
			in.pos--
		}
	case tea.KeyDelete:
		if in.pos < len(in.value) {
			in.value = append(in.value[:in.pos], in.value[in.pos+1:]...)
		}
	case tea.KeyLeft, tea.KeyCtrlB:
		in.pos = max(in.pos-1, 0)
	case tea.KeyRight, tea.KeyCtrlF:
		in.pos = min(in.pos+1, len(in.value))
	case tea.KeyHome, tea.KeyCtrlA:
		in.pos = 0
	case tea.KeyEnd, tea.KeyCtrlE:
		in.pos = len(in.value)
	case tea.KeyCtrlU:
		in.value = append(in.value[:0], in.value[in.pos:]...)
		in.pos = 0
	case tea.KeyCtrlK:
		in.value = in.value[:in.pos]
	case tea.KeyCtrlW:
		i := in.pos
		for i > 0 && unicode.IsSpace(in.value[i-1]) {
			i--
		}
		for i > 0 && !unicode.IsSpace(in.value[i-1]) {
			i--
		}
		in.value = append(in.value[:i], in.value[in.pos:]...)
		in.pos = i
	}
}

func (in *lineInput) insert(rs []rune) {
	var clean []rune
	for _, r := range rs {
		if r == '\n' || r == '\r' || r == '\t' {
			r = ' '
		}
		if unicode.IsPrint(r) {
			clean = append(clean, r)
		}
	}
	if in.limit > 0 {
		clean = clean[:min(len(clean), max(in.limit-len(in.value), 0))]
	}
	if len(clean) == 0 {
		return
	}
	v := make([]rune, 0, len(in.value)+len(clean))
	v = append(v, in.value[:in.pos]...)
	v = append(v, clean...)
	v = append(v, in.value[in.pos:]...)
	in.value = v
	in.pos += len(clean)
}

// View renders the prompt, the value and a block cursor (or the
// placeholder when empty).
func (in *lineInput) View() string {
	var b strings.Builder
	b.WriteString(in.promptStyle.Render(in.prompt))
	if len(in.value) == 0 {
		b.WriteString(in.cursorStyle.Render(" "))
		b.WriteString(in.placeholderStyle.Render(in.placeholder))
		return b.String()
	}
	b.WriteString(in.textStyle.Render(string(in.value[:in.pos])))
	if in.pos < len(in.value) {
		b.WriteString(in.cursorStyle.Render(string(in.value[in.pos])))
		b.WriteString(in.textStyle.Render(string(in.value[in.pos+1:])))
	} else {
		b.WriteString(in.cursorStyle.Render(" "))
	}
	return b.String()
}
