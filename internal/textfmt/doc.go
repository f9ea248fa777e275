// Package textfmt formats text for people the same way in every output of
// updoc (the table, the TUI, explain): counts with their noun, and text
// measured, cut, wrapped and padded by display width — terminal columns, not
// bytes or runes: ANSI escape sequences take none, CJK and most emoji take
// two. Widths are those of github.com/charmbracelet/x/ansi (grapheme
// clusters), which bubbletea and lipgloss use too.
//
// It is a leaf: it imports nothing of updoc's.
package textfmt
