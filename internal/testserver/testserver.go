// Package testserver holds loopback servers shared by tests of several packages.
package testserver

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// Hung starts an HTTP server on 127.0.0.1 that accepts requests and never
// answers until the test ends (or the client gives up). It returns the
// server's address.
func Hung(t testing.TB) string {
	t.Helper()
	done := make(chan struct{})
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-done:
			case <-r.Context().Done():
			}
		}),
		ReadHeaderTimeout: time.Second,
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { close(done); srv.Close() })
	return ln.Addr().String()
}

// ClosesAfterAnswer starts a server on 127.0.0.1 that answers every request
// with 200 "ok" (Content-Length, no Connection: close) and then closes the
// connection, as some servers and proxies do. It returns the server's
// address and the number of connections it accepted so far.
func ClosesAfterAnswer(t testing.TB) (string, *atomic.Int32) {
	t.Helper()
	var accepted atomic.Int32
	addr := Raw(t, func(c net.Conn) {
		accepted.Add(1)
		_ = c.SetDeadline(time.Now().Add(5 * time.Second))
		req, err := http.ReadRequest(bufio.NewReader(c))
		if err != nil {
			return
		}
		_, _ = io.Copy(io.Discard, req.Body)
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok")
	})
	return addr, &accepted
}
