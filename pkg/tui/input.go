package tui

import (
	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
)

// filterLimit is the longest filter, in characters.
const filterLimit = 64

// newFilterInput is the one-line field the filter is typed in
// (bubbles/textinput): "/" then the text, or a placeholder when it is empty.
// It edits like a shell line — ←/→ (ctrl+b/f), alt+←/→ by word, home/end
// (ctrl+a/e), backspace/delete, ctrl+w, ctrl+u, ctrl+k — and takes a
// bracketed paste as text. Every style comes from st (the program's
// renderer, so no escape code without colour); the cursor is a steady
// block; ctrl+v does not read the system clipboard, and there are no
// suggestions.
func newFilterInput(st *styles) textinput.Model {
	in := textinput.New()
	in.Prompt = "/"
	// The cursor sits on the placeholder's first character: a space, so
	// that it reads "/ name, tag or code" with the cursor after the "/".
	in.Placeholder = " name, tag or code"
	in.CharLimit = filterLimit
	in.PromptStyle = st.key
	in.TextStyle = st.plain
	in.PlaceholderStyle = st.dim
	in.CompletionStyle = st.dim
	in.Cursor.Style = st.cursor
	in.Cursor.TextStyle = st.plain
	in.Cursor.SetMode(cursor.CursorStatic)
	for _, b := range []*key.Binding{&in.KeyMap.Paste, &in.KeyMap.AcceptSuggestion, &in.KeyMap.NextSuggestion, &in.KeyMap.PrevSuggestion} {
		b.SetEnabled(false)
	}
	return in
}
