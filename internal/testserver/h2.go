package testserver

import (
	"crypto/tls"
	"io"
	"log"
	"net"
	"net/http"
	"testing"

	"golang.org/x/net/http2"
)

// quietServer is the configuration of the HTTP/2 servers: no log of the
// connections the tests make fail on purpose.
var quietServer = &http.Server{ErrorLog: log.New(io.Discard, "", 0)}

// H2Only starts a TLS server on 127.0.0.1 that offers only HTTP/2 (ALPN
// "h2", as gRPC servers do) and serves h with it; a client that does not
// speak HTTP/2 gets its connection closed. It returns the address.
func H2Only(t testing.TB, cert tls.Certificate, h http.Handler) string {
	t.Helper()
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"h2"}}
	srv := &http2.Server{}
	return Raw(t, func(c net.Conn) {
		tc := tls.Server(c, cfg)
		if tc.Handshake() != nil {
			return
		}
		srv.ServeConn(tc, &http2.ServeConnOpts{Handler: h, BaseConfig: quietServer})
	})
}

// H2COnly starts a cleartext server on 127.0.0.1 that speaks only HTTP/2
// with prior knowledge (h2c, RFC 9113 §3.3), as cleartext gRPC servers do:
// it sends its SETTINGS frame, and closes a connection that does not start
// with the HTTP/2 preface. It returns the address.
func H2COnly(t testing.TB, h http.Handler) string {
	t.Helper()
	srv := &http2.Server{}
	return Raw(t, func(c net.Conn) {
		srv.ServeConn(c, &http2.ServeConnOpts{Handler: h, BaseConfig: quietServer})
	})
}
