package hostile

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/updoc/updoc/internal/testserver"
)

// Handler serves one connection of a hostile server.
type Handler func(net.Conn)

// Start serves h on 127.0.0.1, port 0, outside a test (scripts and the
// memory benchmark); the caller closes it.
func Start(h Handler) (*testserver.Listener, error) { return testserver.Serve(h) }

// EndlessHeaders answers the first fine requests it gets (across all
// connections) with a short 200, and every later one with a status line and
// header fields without end. It returns the server's "IP:PORT".
func EndlessHeaders(t testing.TB, fine int) string {
	t.Helper()
	return testserver.Raw(t, EndlessHeadersHandler(fine))
}

// EndlessInterim answers every request with "100 Continue" interim answers
// without end (RFC 9110 §15.2: a client reads past 1xx answers).
func EndlessInterim(t testing.TB) string {
	t.Helper()
	return testserver.Raw(t, EndlessInterimHandler())
}

// EndlessBody answers every request with a 200 whose chunked body never
// ends.
func EndlessBody(t testing.TB) string {
	t.Helper()
	return testserver.Raw(t, EndlessBodyHandler())
}

// Body answers every request with a 200 whose body is size bytes: prefix,
// then filler up to size-len(suffix), then suffix (Content-Length set;
// keep-alive).
func Body(t testing.TB, size int, prefix, suffix string) string {
	t.Helper()
	return testserver.Raw(t, BodyHandler(size, prefix, suffix))
}

// EndlessHeadersHandler is the handler of EndlessHeaders.
func EndlessHeadersHandler(fine int) Handler {
	var n atomic.Int64
	const ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"
	return func(c net.Conn) {
		serveRequests(c, func(c net.Conn) bool {
			if n.Add(1) <= int64(fine) {
				_, err := io.WriteString(c, ok)
				return err == nil
			}
			if _, err := io.WriteString(c, "HTTP/1.1 200 OK\r\n"); err != nil {
				return false
			}
			writeForever(c, "X-Padding: "+strings.Repeat("a", 1000)+"\r\n")
			return false
		})
	}
}

// EndlessInterimHandler is the handler of EndlessInterim.
func EndlessInterimHandler() Handler {
	return endless("", "HTTP/1.1 100 Continue\r\n\r\n")
}

// EndlessBodyHandler is the handler of EndlessBody.
func EndlessBodyHandler() Handler {
	data := strings.Repeat("x", 4096)
	return endless("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", fmt.Sprintf("%x\r\n%s\r\n", len(data), data))
}

// BodyHandler is the handler of Body.
func BodyHandler(size int, prefix, suffix string) Handler {
	body := prefix + strings.Repeat(".", max(0, size-len(prefix)-len(suffix))) + suffix
	answer := fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Length: %d\r\nContent-Type: text/plain\r\n\r\n%s", len(body), body)
	return func(c net.Conn) {
		serveRequests(c, func(c net.Conn) bool {
			_, err := io.WriteString(c, answer)
			return err == nil
		})
	}
}

// endless answers every request with head, then line again and again.
func endless(head, line string) Handler {
	return func(c net.Conn) {
		serveRequests(c, func(c net.Conn) bool {
			if _, err := io.WriteString(c, head); err != nil {
				return false
			}
			writeForever(c, line)
			return false
		})
	}
}

// serveRequests calls answer for every request read from c, until the
// client goes away or answer returns false.
func serveRequests(c net.Conn, answer func(c net.Conn) bool) {
	br := bufio.NewReader(c)
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		_, _ = io.Copy(io.Discard, req.Body)
		if !answer(c) {
			return
		}
	}
}

// writeForever writes line to c again and again until a write fails (the
// client hung up or the server closed).
func writeForever(c net.Conn, line string) {
	chunk := []byte(strings.Repeat(line, max(1, 32<<10/len(line))))
	for {
		if _, err := c.Write(chunk); err != nil {
			return
		}
	}
}
