package textsafe

import (
	"fmt"
	"io"
	"unicode/utf8"
)

// JSONWriter passes JSON text on to W with every C1 control and bidi
// control written as a \uXXXX escape, which encoding/json leaves raw (it
// escapes C0 controls, U+2028 and U+2029 only): the same string, but no
// byte of it can act on a terminal that shows the JSON (`cat report.json`,
// a CI log). Such characters can only stand inside JSON strings, where
// the escape means the same character. A character split across two
// writes is held until the second; Close writes what is held.
type JSONWriter struct {
	W       io.Writer
	pending []byte // the start of a character cut at the end of the last write
	esc     []byte // the text before an escape, and the escape
}

// Write escapes b (see JSONWriter) and writes it to W: what needs no escape
// (nearly everything: JSON is mostly ASCII) goes through as it is, in as
// few writes as the escapes allow. It reports len(b) written when W took
// everything.
func (j *JSONWriter) Write(b []byte) (int, error) {
	in := b
	if len(j.pending) > 0 {
		in = append(j.pending, b...)
		j.pending = nil
	}
	last := 0
	for i := 0; i < len(in); {
		if in[i] < utf8.RuneSelf {
			i++
			continue
		}
		if !utf8.FullRune(in[i:]) {
			j.pending = append([]byte(nil), in[i:]...)
			in = in[:i]
			break
		}
		r, size := utf8.DecodeRune(in[i:])
		if unsafeRune(r, false) {
			j.esc = fmt.Appendf(append(j.esc[:0], in[last:i]...), `\u%04x`, r)
			if _, err := j.W.Write(j.esc); err != nil {
				return 0, err
			}
			last = i + size
		}
		i += size
	}
	if last < len(in) {
		if _, err := j.W.Write(in[last:]); err != nil {
			return 0, err
		}
	}
	return len(b), nil
}

// Close writes what is held of a character cut short (as it came).
func (j *JSONWriter) Close() error {
	if len(j.pending) == 0 {
		return nil
	}
	_, err := j.W.Write(j.pending)
	j.pending = nil
	return err
}
