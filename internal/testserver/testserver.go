// Package testserver holds loopback servers shared by tests of several packages.
package testserver

import (
	"net"
	"net/http"
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
