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

// okAnswer is the answer of a request a server lets through.
const okAnswer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok"

// serveRequests calls answer with the number (from 1, counted across all
// connections of the server) of every request read from c, until the
// client goes away or answer returns false.
func serveRequests(c net.Conn, n *atomic.Int64, answer func(c net.Conn, nth int64) bool) {
	br := bufio.NewReader(c)
	for {
		req, err := http.ReadRequest(br)
		if err != nil {
			return
		}
		_, _ = io.Copy(io.Discard, req.Body)
		if !answer(c, n.Add(1)) {
			return
		}
	}
}

// writeForever writes line to c again and again until a write fails (the
// client hung up or the test ended).
func writeForever(c net.Conn, line string) {
	chunk := []byte(strings.Repeat(line, max(1, 32<<10/len(line))))
	for {
		if _, err := c.Write(chunk); err != nil {
			return
		}
	}
}

// EndlessHeaders answers the first fine requests it gets (across all
// connections) with a short 200, and every later one with a status line and
// header fields without end.
func EndlessHeaders(t testing.TB, fine int) string {
	t.Helper()
	var n atomic.Int64
	return testserver.Raw(t, func(c net.Conn) {
		serveRequests(c, &n, func(c net.Conn, nth int64) bool {
			if nth <= int64(fine) {
				_, err := io.WriteString(c, okAnswer)
				return err == nil
			}
			if _, err := io.WriteString(c, "HTTP/1.1 200 OK\r\n"); err != nil {
				return false
			}
			writeForever(c, "X-Padding: "+strings.Repeat("a", 1000)+"\r\n")
			return false
		})
	})
}

// EndlessInterim answers every request with "100 Continue" interim answers
// without end (RFC 9110 §15.2: a client reads past 1xx answers).
func EndlessInterim(t testing.TB) string {
	t.Helper()
	return endless(t, "", "HTTP/1.1 100 Continue\r\n\r\n")
}

// EndlessBody answers every request with a 200 whose chunked body never
// ends.
func EndlessBody(t testing.TB) string {
	t.Helper()
	data := strings.Repeat("x", 4096)
	return endless(t, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", fmt.Sprintf("%x\r\n%s\r\n", len(data), data))
}

// endless answers every request with head, then line again and again.
func endless(t testing.TB, head, line string) string {
	var n atomic.Int64
	return testserver.Raw(t, func(c net.Conn) {
		serveRequests(c, &n, func(c net.Conn, _ int64) bool {
			if _, err := io.WriteString(c, head); err != nil {
				return false
			}
			writeForever(c, line)
			return false
		})
	})
}

// Body answers every request with a 200 whose body is size bytes: prefix,
// then filler up to size-len(suffix), then suffix (Content-Length set;
// keep-alive).
func Body(t testing.TB, size int, prefix, suffix string) string {
	t.Helper()
	body := prefix + strings.Repeat(".", max(0, size-len(prefix)-len(suffix))) + suffix
	answer := fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Length: %d\r\nContent-Type: text/plain\r\n\r\n%s", len(body), body)
	var n atomic.Int64
	return testserver.Raw(t, func(c net.Conn) {
		serveRequests(c, &n, func(c net.Conn, _ int64) bool {
			_, err := io.WriteString(c, answer)
			return err == nil
		})
	})
}
