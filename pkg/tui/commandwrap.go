package tui

import (
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/updoc/updoc/internal/textfmt"
)

// lineContinuation ends every line of a wrapped command but the last:
// backslash-newline joins the lines back into one command in a shell.
const lineContinuation = ` \`

// wrapCommand lays a shell command out as lines a shell reads as the same
// command: it breaks only at spaces between shell words (never inside a word
// or a quoted string) and ends each continued line with " \". The first
// line has firstW columns, the continued ones restW (the caller indents
// them). A word wider than its line stays whole on a line of its own, past
// the width. A command the shell parser does not accept is never broken: one
// line, as it is.
func wrapCommand(command string, firstW, restW int) []string {
	chunks := shellChunks(command)
	var out []string
	room, line := firstW, chunks[0]
	for i, c := range chunks[1:] {
		fits := room
		if i+2 < len(chunks) { // the line could still be continued after c
			fits -= len(lineContinuation)
		}
		if textfmt.Width(line)+1+textfmt.Width(c) <= fits {
			line += " " + c
			continue
		}
		out = append(out, line+lineContinuation)
		room, line = restW, c
	}
	return append(out, line)
}

// shellChunks splits command at the spaces a line continuation may replace:
// those outside every shell word (a quoted string, a $(…) is part of one
// word). Joined with single spaces, the chunks are command again. A command
// that does not parse is one chunk.
func shellChunks(command string) []string {
	f, err := syntax.NewParser().Parse(strings.NewReader(command), "")
	if err != nil {
		return []string{command}
	}
	inWord := make([]bool, len(command))
	syntax.Walk(f, func(n syntax.Node) bool {
		if word, ok := n.(*syntax.Word); ok {
			for i := word.Pos().Offset(); i < word.End().Offset() && int(i) < len(command); i++ {
				inWord[i] = true
			}
			return false // words inside words are inside already
		}
		return true
	})
	var chunks []string
	start := 0
	for i := range len(command) {
		if command[i] == ' ' && !inWord[i] {
			chunks = append(chunks, command[start:i])
			start = i + 1
		}
	}
	return append(chunks, command[start:])
}
