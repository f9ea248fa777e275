package hostile

import (
	"fmt"
	"io"
	"net"
	"testing"

	"github.com/updoc/updoc/internal/testserver"
)

// Escapes is text that would act on a terminal printed raw: an OSC that
// retitles the window, a CSI that clears the screen, an OSC 8 hyperlink,
// an OSC 52 clipboard write, a raw C1 CSI (as UTF-8 and as a lone 0x9b
// byte), bidi overrides and isolates, and an invalid UTF-8 byte.
const Escapes = "\x1b]0;pwned\x07\x1b[2J\x1b]8;;http://evil.test/\x1b\\link\x1b]8;;\x1b\\\x1b]52;c;cm0gLXJmIH4=\x07\u009b2J\x9b\u202eevil\u2066\xff"

// TerminalEscapes answers every request with a 503 whose Server header,
// other headers, <title> and body all hold Escapes (issue 12, failure 1).
func TerminalEscapes(t testing.TB) string {
	t.Helper()
	body := "<html><head><title>down " + Escapes + "</title></head><body>" + Escapes + "</body></html>"
	answer := fmt.Sprintf("HTTP/1.1 503 Service Unavailable\r\nServer: nginx %s\r\nX-Reason: %s\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n%s",
		Escapes, Escapes, len(body), body)
	return testserver.Raw(t, func(c net.Conn) {
		serveRequests(c, func(c net.Conn) bool {
			_, err := io.WriteString(c, answer)
			return err == nil
		})
	})
}

// RedirectEscapes answers every request with a 302 to a location whose
// host and path hold bidi controls, C1 controls and invalid UTF-8.
func RedirectEscapes(t testing.TB) string {
	t.Helper()
	answer := "HTTP/1.1 302 Found\r\nLocation: http://ev\u202eil\u0085\xff.test/\x1b[2J\u2066path\r\nContent-Length: 0\r\n\r\n"
	return testserver.Raw(t, func(c net.Conn) {
		serveRequests(c, func(c net.Conn) bool {
			_, err := io.WriteString(c, answer)
			return err == nil
		})
	})
}
