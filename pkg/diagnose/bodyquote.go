package diagnose

import (
	"bytes"
	"regexp"
	"strings"
)

// Lengths of a body quoted in a message (bytes).
const (
	quoteMax  = 200 // a longer text is elided in its middle
	quoteHead = 120 // of which its start
	quoteTail = 76  // and its end
)

// bodyQuote is THE quote of a body in every http and gateway finding (SPEC
// §4: long enough to hold the decisive words): white space collapsed,
// valid UTF-8. Of an HTML page, its <title>, else its first heading, else
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
	s := strings.Join(strings.Fields(strings.ToValidUTF8(string(b), "\uFFFD")), " ")
	if len(s) > quoteMax {
		head := strings.TrimSpace(strings.ToValidUTF8(s[:quoteHead], ""))
		tail := strings.TrimSpace(strings.ToValidUTF8(s[len(s)-quoteTail:], ""))
		s = head + " … " + tail
	}
	return s
}

var (
	titleRE   = regexp.MustCompile(`(?is)<title[^>]*>\s*([^<]*?\S[^<]*?)\s*</title>`)
	headingRE = regexp.MustCompile(`(?is)<h[1-3][^>]*>\s*([^<]*?\S[^<]*?)\s*</h[1-3]>`)
	tagRE     = regexp.MustCompile(`(?s)<!--.*?-->|<(?:script|style)[^>]*>.*?</(?:script|style)>|<[^>]*>`)
)

// htmlText is what a page says first: its title, else its first heading,
// else its text with the tags (comments, scripts, styles) left out.
func htmlText(b []byte) []byte {
	for _, re := range []*regexp.Regexp{titleRE, headingRE} {
		if m := re.FindSubmatch(b); m != nil {
			return m[1]
		}
	}
	return tagRE.ReplaceAll(b, []byte(" "))
}
