package diagnose

import "testing"

// A quote carries the server's words, never what a body could do to a
// terminal or to the reading of a message: escape sequences, control
// characters and bidi controls are stripped, white space collapsed.
func TestBodyQuoteStripsControlCharacters(t *testing.T) {
	for body, want := range map[string]string{
		"\x1b[1;31mERROR\x1b[0m: pool exhausted":      "ERROR: pool exhausted",
		"db\x00 down\x07":                             "db down",
		"tenant \u202eevil\u202c acme":                "tenant evil acme",
		"line one\r\nline\ttwo\x7f":                   "line one line two",
		"\x1b]0;owned\x07title set by the body\u009b": "title set by the body",
	} {
		if got := bodyQuote([]byte(body)); got != want {
			t.Errorf("bodyQuote(%q) = %q, want %q", body, got, want)
		}
	}
}
