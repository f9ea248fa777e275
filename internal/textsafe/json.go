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
	out     []byte
}

// Write escapes b (see JSONWriter) and writes it to W. It reports len(b)
// written when W took everything.
func (j *JSONWriter) Write(b []byte) (int, error) {
	in := b
	if len(j.pending) > 0 {
		in = append(j.pending, b...)
		j.pending = nil
	}
	j.out = j.out[:0]
	last := 0
	for i := 0; i < len(in); {
		c := in[i]
		if c < utf8.RuneSelf {
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
			j.out = append(j.out, in[last:i]...)
			j.out = fmt.Appendf(j.out, `\u%04x`, r)
			last = i + size
		}
		i += size
	}
	j.out = append(j.out, in[last:]...)
	if _, err := j.W.Write(j.out); err != nil {
		return 0, err
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
