package graph

import (
	"fmt"
	"sort"
	"strings"

	"github.com/updoc/updoc/internal/textfmt"
	"github.com/updoc/updoc/internal/textsafe"
)

// Error is one problem in a graph file, at FILE:LINE:COLUMN.
type Error struct {
	File   string
	Line   int
	Column int
	Msg    string
}

// Error renders the error as "FILE:LINE:COLUMN: msg".
//
// It is one line whatever the file holds: a control, bidi or newline
// character in the file's name or in a value the message quotes is shown
// visibly (textsafe.Line), never sent raw to a terminal (issue 12).
func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", textsafe.Line(e.File), e.Line, e.Column, textsafe.Line(e.Msg))
}

// Errors is every problem found in a graph file, sorted by position.
type Errors []*Error

// MaxPrinted is how many errors Errors.Error prints; a line says how many
// more there are.
const MaxPrinted = 50

// Error joins the errors, one per line: the first MaxPrinted of them, then
// "… and N more errors" (a file of 10,000 bad upstreams is fixed from the
// top, not read in full).
func (es Errors) Error() string {
	var b strings.Builder
	for i, e := range es[:min(len(es), MaxPrinted)] {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	if n := len(es) - MaxPrinted; n > 0 {
		fmt.Fprintf(&b, "\n… and %s (fix these first, then run again)", textfmt.Plural(n, "more error"))
	}
	return b.String()
}

// Unwrap lets errors.As find the individual *Error values.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

func (es Errors) sort() {
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].Line != es[j].Line {
			return es[i].Line < es[j].Line
		}
		return es[i].Column < es[j].Column
	})
}
