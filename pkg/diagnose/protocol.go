package diagnose

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/updoc/updoc/internal/textfmt"
	"github.com/updoc/updoc/pkg/catalog"
	"github.com/updoc/updoc/pkg/graph"
	"github.com/updoc/updoc/pkg/probe"
)

// Answers that are not HTTP/1.x (SPEC §4 http.no_response,
// http.protocol_error): what the server sent (HTTPResult.Received) and what
// its port answered when asked again (HTTPResult.OtherProtocol) say which.

// notHTTP judges an exchange that got no valid response head: an answer
// in another protocol or a malformed one is http.protocol_error; nothing
// at all, closed or reset, is http.no_response. ok is false when the
// failure is something else (a timeout, a refused connect).
func notHTTP(s *subject, i int, hr *probe.HTTPResult) ([]draft, bool) {
	k := classify(hr.Err)
	switch {
	case hr.OtherProtocol != "" || probe.IsTLSRecord(hr.Received) || isH2Frame(hr.Received):
		return protocolError(s, i, hr), true
	case k == kindTimeout || k == kindCanceled || k == kindRefused || k == kindUnreachable:
		return nil, false
	case len(hr.Received) > 0:
		return protocolError(s, i, hr), true
	case k == kindEOF || k == kindReset:
		return closedWithoutAnswer(s, i, hr, k), true
	}
	return nil, false
}

// closedWithoutAnswer: the connection was closed or reset before a byte of answer.
func closedWithoutAnswer(s *subject, i int, hr *probe.HTTPResult, k errKind) []draft {
	how := "closed the connection"
	if k == kindReset {
		how = "reset the connection (" + errnoText(hr.Err) + ")"
	}
	return []draft{{
		Code: catalog.HTTPNoResponse, Layer: catalog.LayerHTTP, Target: i,
		Message: fmt.Sprintf("%s %s before sending a status line (%s %s)",
			answeredBy(s, i, hr), how, hr.Method, redactURL(hr.URL)),
		Evidence: answerEvidence(hr, map[string]any{"error": shortErr(hr.Err), "bytes_received": 0, "reset": k == kindReset}),
	}}
}

// protocolError: something answered, but not with HTTP/1.x.
func protocolError(s *subject, i int, hr *probe.HTTPResult) []draft {
	who := answeredBy(s, i, hr)
	req := fmt.Sprintf("%s %s", hr.Method, redactURL(hr.URL))
	ev := answerEvidence(hr, map[string]any{"bytes_received": len(hr.Received)})
	if hr.Err != nil {
		ev["error"] = shortErr(hr.Err)
	}
	d := draft{Code: catalog.HTTPProtocolError, Layer: catalog.LayerHTTP, Target: i, Evidence: ev}
	switch {
	case hr.OtherProtocol == "tls" || probe.IsTLSRecord(hr.Received):
		ev["other_protocol"] = "tls"
		if hr.StatusCode != 0 {
			ev["body"] = bodyQuote(hr.Body) // tlsAnswer quotes it
		}
		d.Variant = catalog.VariantTLSPort
		d.Message = fmt.Sprintf("%s answered plain HTTP with %s: this port speaks TLS: use %s",
			who, tlsAnswer(hr), httpsURL(hr.URL))
	case hr.OtherProtocol == "h2c" || isH2Frame(hr.Received):
		ev["other_protocol"] = "h2c"
		d.Variant = catalog.VariantH2COnly
		what := "closed the HTTP/1.1 request and answered the HTTP/2 connection preface"
		if isH2Frame(hr.Received) {
			what = "answered the HTTP/1.1 request with HTTP/2 frames"
		}
		d.Message = fmt.Sprintf("%s speaks only HTTP/2 cleartext (h2c, prior knowledge): it %s (%s)", who, what, req)
	default:
		d.Variant = catalog.VariantMalformed
		d.Message = fmt.Sprintf("%s sent an answer that is not valid HTTP (%s): %s", who, req, malformedHead(hr, ev))
	}
	return []draft{d}
}

// answeredBy names who answered: the target, or the address a redirect
// led to.
func answeredBy(s *subject, i int, hr *probe.HTTPResult) string {
	if hr.Remote != "" && len(hr.Redirects) > 0 && hr.Remote != s.target(i).DialAddress() {
		return hr.Remote
	}
	return s.addrOf(i)
}

// answerEvidence adds what the server sent to ev: the first bytes, quoted.
func answerEvidence(hr *probe.HTTPResult, ev map[string]any) map[string]any {
	ev["method"] = hr.Method
	ev["url"] = redactURL(hr.URL)
	if hr.ErrPhase != "" {
		ev["phase"] = hr.ErrPhase
	}
	if len(hr.Received) > 0 {
		ev["received"] = quoteBytes(hr.Received, 160)
	}
	if hr.OtherProtocol != "" {
		ev["other_protocol"] = hr.OtherProtocol
	}
	return ev
}

// tlsAnswer says how a TLS port answered plain HTTP.
func tlsAnswer(hr *probe.HTTPResult) string {
	switch {
	case len(hr.Received) >= 1 && hr.Received[0] == 21:
		return "a TLS alert record"
	case probe.IsTLSRecord(hr.Received):
		return "a TLS handshake record"
	case hr.StatusCode != 0:
		page := fmt.Sprintf("a %d page", hr.StatusCode)
		if body := bodyQuote(hr.Body); body != "" {
			page += " (" + strconv.Quote(body) + ")"
		}
		return page
	case classify(hr.Err) == kindReset:
		return "a reset (and a TLS handshake on a new connection succeeded)"
	}
	return "a close (and a TLS handshake on a new connection succeeded)"
}

// httpsURL is raw with the https scheme, its port kept.
func httpsURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "https://"
	}
	if u.Port() == "" {
		u.Host += ":80"
	}
	u.Scheme = "https"
	return graph.RedactedURL(u)
}

// malformedHead describes a response head that is not valid HTTP/1.x:
// which line, and how far it got. It adds what it found to ev.
func malformedHead(hr *probe.HTTPResult, ev map[string]any) string {
	b := hr.Received
	lines, ended := headLines(b)
	if errors.Is(hr.Err, probe.ErrHeadTooLarge) && len(lines) > 0 {
		if code, ok := statusCode(lines[0]); ok {
			return headTooLarge(code, lines, ended, len(b), ev)
		}
	}
	if len(lines) == 0 || !strings.HasPrefix(lines[0], "HTTP/") {
		ev["status_line"] = quoteLine(firstLineOf(b))
		return "the status line is not HTTP: " + quoteLine(firstLineOf(b))
	}
	code, ok := statusCode(lines[0])
	if !ok {
		ev["status_line"] = quoteLine(lines[0])
		return "malformed status line " + quoteLine(lines[0])
	}
	ev["status_code_received"] = code
	for n, l := range lines[1:] {
		name, _, hasColon := strings.Cut(l, ":")
		switch {
		case !hasColon:
			ev["header_line"] = quoteLine(l)
			return fmt.Sprintf("after status %d, header line %d has no colon: %s", code, n+1, quoteLine(l))
		case !validHeaderName(name):
			ev["header_line"] = quoteLine(l)
			return fmt.Sprintf("after status %d, header line %d has an invalid name: %s", code, n+1, quoteLine(l))
		}
	}
	headers := len(lines) - 1
	ev["headers_received"] = headers
	if ended {
		// The head itself parsed: what was wrong is in a value (a bad
		// Content-Length, Transfer-Encoding, ...).
		return fmt.Sprintf("status %d and %s arrived, and were rejected: %s", code, textfmt.Plural(headers, "header"), shortErr(hr.Err))
	}
	how := "the connection was closed"
	switch {
	case classify(hr.Err) == kindReset:
		how = "the connection was reset"
	case len(b) >= probe.MaxReceived:
		how = fmt.Sprintf("%d bytes of it arrived", len(b))
	}
	return fmt.Sprintf("status %d and %s arrived, the header block never ended (%s)", code, textfmt.Plural(headers, "header"), how)
}

// headTooLarge describes an answer whose head went past probe.MaxHead:
// interim (1xx) answers without end, or header fields without end, of
// which the first kept bytes (kept) held lines[1:].
func headTooLarge(code int, lines []string, ended bool, kept int, ev map[string]any) string {
	limit := fmt.Sprintf("updoc's limit of %d KiB for a response head", probe.MaxHead>>10)
	ev["status_code_received"] = code
	if code/100 == 1 && ended {
		return fmt.Sprintf("it sent %d %s interim answers without end, past %s", code, http.StatusText(code), limit)
	}
	ev["headers_received"] = len(lines) - 1
	return fmt.Sprintf("after status %d its header fields went on past %s (%s in the first %d bytes)",
		code, limit, textfmt.Plural(len(lines)-1, "header"), kept)
}

// headLines splits the head of an HTTP/1 answer into its lines (CRLF or
// LF ends a line), up to the empty line that ends it (ended) or the last
// complete line.
func headLines(b []byte) (lines []string, ended bool) {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			return lines, false
		}
		l := strings.TrimSuffix(string(b[:i]), "\r")
		b = b[i+1:]
		if l == "" {
			return lines, true
		}
		lines = append(lines, l)
	}
	return lines, false
}

// statusCode reads the code of an HTTP/1.x status line (RFC 9112 §4).
func statusCode(line string) (int, bool) {
	proto, rest, ok := strings.Cut(line, " ")
	if !ok || (proto != "HTTP/1.1" && proto != "HTTP/1.0") || len(rest) < 3 {
		return 0, false
	}
	code, err := strconv.Atoi(rest[:3])
	if err != nil || code < 100 || code > 999 || (len(rest) > 3 && rest[3] != ' ') {
		return 0, false
	}
	return code, true
}

// validHeaderName: a field name is a token (RFC 9110 §5.1).
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for _, r := range name {
		if r <= ' ' || r >= 0x7f || strings.ContainsRune("\"(),/:;<=>?@[\\]{}", r) {
			return false
		}
	}
	return true
}

// isH2Frame: b starts with an HTTP/2 SETTINGS or GOAWAY frame on stream 0
// (RFC 9113 §4.1, §3.4: the first frame a server sends is SETTINGS).
func isH2Frame(b []byte) bool {
	if len(b) < 9 || (b[3] != 0x4 && b[3] != 0x7) {
		return false
	}
	length := int(b[0])<<16 | int(b[1])<<8 | int(b[2])
	stream := (uint32(b[5])<<24 | uint32(b[6])<<16 | uint32(b[7])<<8 | uint32(b[8])) & 0x7fffffff
	return stream == 0 && length <= 1<<14 && (b[3] != 0x4 || length%6 == 0)
}

func firstLineOf(b []byte) string {
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	return strings.TrimSuffix(string(b), "\r")
}

// quoteLine quotes a line of an answer for a message, cut to 100 bytes.
func quoteLine(l string) string { return quoteBytes([]byte(l), 100) }

// quoteBytes quotes the first max bytes of b as a Go string literal (what
// is not printable ASCII escaped), "…" after it when b is longer.
func quoteBytes(b []byte, max int) string {
	more := ""
	if len(b) > max {
		b, more = b[:max], "…"
	}
	return strconv.QuoteToASCII(string(b)) + more
}
