package diagnose

import (
	"bytes"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/charmbracelet/x/ansi"

	"github.com/updoc/updoc/pkg/probe"
)

// Lengths of a body quoted in a message (bytes).
const (
	quoteMax  = 200 // a longer text is elided in its middle
	quoteHead = 120 // of which its start
	quoteTail = 76  // and its end
)

// bodyQuote is THE quote of a body in every http and gateway finding (SPEC
// §4: long enough to hold the decisive words): white space collapsed,
// valid UTF-8, terminal escape sequences, control characters and bidi
// controls stripped (a body is the server's text, never the terminal's). Of an HTML page, its <title>, else its first heading, else
// its text without tags — never "<html>": nginx's 400 for plain HTTP on
// its TLS port is titled "400 The plain HTTP request was sent to HTTPS
// port". A text longer than quoteMax bytes keeps its start and its end
// around " … ", so that the decisive words of a long one-line answer stay
// in the quote (Envoy's "reset reason: overflow" and transport failure
// reasons come last).
func bodyQuote(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return ""
	}
	if bytes.HasPrefix(b, []byte("<")) {
		b = htmlText(b)
	}
	s := strings.Join(strings.Fields(stripControls(strings.ToValidUTF8(string(b), "\uFFFD"))), " ")
	if len(s) > quoteMax {
		head := strings.TrimSpace(strings.ToValidUTF8(s[:quoteHead], ""))
		tail := strings.TrimSpace(strings.ToValidUTF8(s[len(s)-quoteTail:], ""))
		s = head + " … " + tail
	}
	return s
}

// Compiled on first use: a command that quotes no page does not compile
// them at start.
var (
	titleRE   = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?is)<title[^>]*>\s*([^<]*?\S[^<]*?)\s*</title>`) })
	headingRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?is)<h[1-3][^>]*>\s*([^<]*?\S[^<]*?)\s*</h[1-3]>`) })
	tagRE     = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?s)<!--.*?-->|<(?:script|style)[^>]*>.*?</(?:script|style)>|<[^>]*>`)
	})
)

// htmlText is what a page says first: its title, else its first heading,
// else its text with the tags (comments, scripts, styles) left out.
func htmlText(b []byte) []byte {
	for _, re := range []*regexp.Regexp{titleRE(), headingRE()} {
		if m := re.FindSubmatch(b); m != nil {
			return m[1]
		}
	}
	return tagRE().ReplaceAll(b, []byte(" "))
}

// stripControls drops what a body could do to a terminal or to the reading
// of a message: ANSI escape sequences, control characters other than white
// space (which the quote collapses), and bidi controls (U+202A–U+202E,
// U+2066–U+2069) that reorder the text around them.
func stripControls(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return r
		case unicode.IsControl(r), r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
			return -1
		}
		return r
	}, ansi.Strip(s))
}

// answerText is how a message names an answer and what it said, and
// records the quote as evidence "body" ("" for an answer without text):
// `503 Service Unavailable ("down for maintenance")`,
// `503 Service Unavailable (empty body)`; a HEAD answer has no body to
// quote: `503 Service Unavailable`.
func answerText(hr *probe.HTTPResult, ev map[string]any) string {
	if hr.Method == http.MethodHead {
		return statusText(hr.StatusCode)
	}
	return statusText(hr.StatusCode) + " (" + bodyWords(hr.Body, ev) + ")"
}

// bodyWords is what a body said, for a message — its quote, "empty body"
// or "a 12-byte body without text" —, recorded as evidence "body".
func bodyWords(body []byte, ev map[string]any) string {
	q := bodyQuote(body)
	ev["body"] = q
	switch {
	case q != "":
		return strconv.Quote(q)
	case len(body) == 0:
		return "empty body"
	}
	return "a " + strconv.Itoa(len(body)) + "-byte body without text"
}
